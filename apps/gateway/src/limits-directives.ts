import {
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  Kind,
  parse,
} from 'graphql';

/** `@listSize` of the demand-control spec (https://specs.apollo.dev/cost/v0.1), as composed into the supergraph. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
  requireOneSlicingArgument: boolean;
}

/** What the supergraph's `@cost` and `@listSize` say about one field and its arguments. */
export interface FieldDemand {
  weight?: number;
  listSize?: ListSize;
  /** `@cost` on an argument: added each time the field runs with that argument given. */
  argumentWeights: Map<string, number>;
}

/** The demand-control directives of a supergraph, by `Type.field` (and `Input.field` for input fields). */
export interface DemandDirectives {
  fields: Map<string, FieldDemand>;
  inputFieldWeights: Map<string, number>;
}

export const NO_DEMAND_DIRECTIVES: DemandDirectives = { fields: new Map(), inputFieldWeights: new Map() };

const COST_SPEC = 'https://specs.apollo.dev/cost/';

/**
 * The names `@cost` and `@listSize` go by in this supergraph: as imported by its `@link` to the cost spec,
 * or with the spec's prefix (`cost__listSize`). Composition writes `@cost` unprefixed even when its link
 * imports only `@listSize`, so the bare names are always accepted too.
 */
function directiveNames(definitions: readonly DefinitionNode[]): { cost: Set<string>; listSize: Set<string> } {
  const names = { cost: new Set(['cost', 'cost__cost']), listSize: new Set(['listSize', 'cost__listSize']) };
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = argument(link, 'url');
      if (url?.kind !== Kind.STRING || !url.value.startsWith(COST_SPEC)) continue;
      const prefix = argument(link, 'as');
      if (prefix?.kind === Kind.STRING) {
        names.cost.add(`${prefix.value}__cost`);
        names.listSize.add(`${prefix.value}__listSize`);
      }
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        const [name, alias] =
          entry.kind === Kind.STRING
            ? [entry.value, entry.value]
            : entry.kind === Kind.OBJECT
              ? [
                  stringField(entry.fields, 'name'),
                  stringField(entry.fields, 'as') ?? stringField(entry.fields, 'name'),
                ]
              : [undefined, undefined];
        if (name === '@cost' && alias) names.cost.add(alias.replace(/^@/, ''));
        if (name === '@listSize' && alias) names.listSize.add(alias.replace(/^@/, ''));
      }
    }
  }
  return names;
}

function stringField(
  fields: readonly { name: { value: string }; value: ConstValueNode }[],
  name: string,
): string | undefined {
  const value = fields.find((f) => f.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

function intArgument(directive: ConstDirectiveNode, name: string): number | undefined {
  const value = argument(directive, name);
  return value?.kind === Kind.INT ? Number(value.value) : undefined;
}

function stringsArgument(directive: ConstDirectiveNode, name: string): string[] | undefined {
  const value = argument(directive, name);
  if (value?.kind === Kind.STRING) return [value.value];
  if (value?.kind !== Kind.LIST) return undefined;
  return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}

function weightOf(node: FieldDefinitionNode | InputValueDefinitionNode, costNames: Set<string>): number | undefined {
  const cost = node.directives?.find((d) => costNames.has(d.name.value));
  return cost ? intArgument(cost, 'weight') : undefined;
}

/** Reads `@cost` (fields, arguments, input fields) and `@listSize` (fields) from a supergraph SDL. */
export function readDemandDirectives(supergraphSdl: string): DemandDirectives {
  const { definitions } = parse(supergraphSdl);
  const names = directiveNames(definitions);
  const demand: DemandDirectives = { fields: new Map(), inputFieldWeights: new Map() };
  for (const definition of definitions) {
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
      for (const field of definition.fields ?? []) {
        const weight = weightOf(field, names.cost);
        if (weight !== undefined) demand.inputFieldWeights.set(`${definition.name.value}.${field.name.value}`, weight);
      }
      continue;
    }
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const listSize = field.directives?.find((d) => names.listSize.has(d.name.value));
      const argumentWeights = new Map<string, number>();
      for (const arg of field.arguments ?? []) {
        const weight = weightOf(arg, names.cost);
        if (weight !== undefined) argumentWeights.set(arg.name.value, weight);
      }
      const weight = weightOf(field, names.cost);
      if (!listSize && weight === undefined && argumentWeights.size === 0) continue;
      const required = listSize ? argument(listSize, 'requireOneSlicingArgument') : undefined;
      demand.fields.set(`${definition.name.value}.${field.name.value}`, {
        weight,
        argumentWeights,
        listSize: listSize && {
          assumedSize: intArgument(listSize, 'assumedSize'),
          slicingArguments: stringsArgument(listSize, 'slicingArguments'),
          sizedFields: stringsArgument(listSize, 'sizedFields'),
          // The spec's default is true.
          requireOneSlicingArgument: required?.kind === Kind.BOOLEAN ? required.value : true,
        },
      });
    }
  }
  return demand;
}
