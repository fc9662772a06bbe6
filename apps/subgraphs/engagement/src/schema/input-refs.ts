import { builder } from '../builder.ts';

/**
 * The input types other inputs nest (`t.field({ type: ConcernInputRef })` in a domain table):
 * declared here so the domain can name them, implemented beside their type in src/schema/<domain>.ts
 * from their table (`ConcernInputRef.implement({ fields: (t) => CONCERN_INPUT.fields(t) })`).
 * The domain parses them with the tables' zod schemas, so their GraphQL shape stays loose here.
 */
type NestedInput = Record<string, unknown>;

export const ConcernInputRef = builder.inputRef<NestedInput>('ConcernInput');
export const ConcernLocationInputRef = builder.inputRef<NestedInput>('ConcernLocationInput');
export const ConcernPatchInputRef = builder.inputRef<NestedInput>('ConcernPatchInput');
export const ConversationSourceInputRef = builder.inputRef<NestedInput>('ConversationSourceInput');
export const EquityRuleClauseInputRef = builder.inputRef<NestedInput>('EquityRuleClauseInput');
export const EquityRuleConditionInputRef = builder.inputRef<NestedInput>('EquityRuleConditionInput');
export const NewCitywideConcernInputRef = builder.inputRef<NestedInput>('NewCitywideConcernInput');
export const ResidentContactInputRef = builder.inputRef<NestedInput>('ResidentContactInput');
