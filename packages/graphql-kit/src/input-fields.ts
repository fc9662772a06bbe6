import { z } from 'zod';

/** One input field: its zod schema (the rules) and its GraphQL field (type and description). */
export interface InputFieldSpec<FieldBuilder> {
  schema: z.ZodType;
  field: (t: FieldBuilder) => unknown;
}

export type InputFieldTable<FieldBuilder> = Record<string, InputFieldSpec<FieldBuilder>>;

/**
 * One table per input, both sides derived from it: `schema` is the zod object the domain parses
 * with (keys in table order, so problems are listed in that order) and `fields(t)` the Pothos
 * input fields, in the same order. Give the field builder type once per subgraph:
 * `const concernInputFields = inputFields<InputFieldBuilder<Types, 'InputObject'>>()({ ... })`.
 */
export function inputFields<FieldBuilder>() {
  return <Table extends InputFieldTable<FieldBuilder>>(table: Table) => {
    const entries = Object.entries(table);
    return {
      table,
      schema: z.object(Object.fromEntries(entries.map(([name, spec]) => [name, spec.schema]))) as z.ZodObject<{
        [K in keyof Table]: Table[K]['schema'];
      }>,
      fields: (t: FieldBuilder) =>
        Object.fromEntries(entries.map(([name, spec]) => [name, spec.field(t)])) as {
          [K in keyof Table]: ReturnType<Table[K]['field']>;
        },
    };
  };
}
