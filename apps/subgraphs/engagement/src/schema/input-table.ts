import type { ArgBuilder, InputFieldBuilder } from '@pothos/core';
import { builder, type Types } from '../builder.ts';
import type { InputTable } from '../domain/input-rules.ts';

type FieldBuilder = InputFieldBuilder<Types, 'InputObject' | 'Arg'>;

/** The GraphQL fields of an input table, in its order (for an input type, or a mutation's arguments). */
export function fieldsOf(t: FieldBuilder, table: InputTable) {
  return Object.fromEntries(
    Object.entries(table).map(([name, { graphql }]) => [
      name,
      t.field({ type: graphql.type as never, required: graphql.required, description: graphql.description }),
    ]),
  ) as never;
}

/** A mutation's arguments from an input table: `args: argsOf(t.arg, TABLE)`. */
export function argsOf(arg: ArgBuilder<Types>, table: InputTable) {
  return Object.fromEntries(
    Object.entries(table).map(([name, { graphql }]) => [
      name,
      arg({ type: graphql.type as never, required: graphql.required, description: graphql.description }),
    ]),
  ) as never;
}

/** The GraphQL input type of an input table. */
export function inputTypeOf(name: string, description: string, table: InputTable) {
  return builder.inputType(name, { description, fields: (t) => fieldsOf(t, table) });
}
