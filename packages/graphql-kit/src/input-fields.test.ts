import SchemaBuilder from '@pothos/core';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputFields } from './input-fields.ts';
import { parseInput } from './write.ts';

describe('inputFields', () => {
  type Types = PothosSchemaTypes.ExtendDefaultTypes<{ DefaultFieldNullability: false }>;
  type FieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;
  // Only the core builder; the shared plugins' options are not needed to print an input.
  const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({ defaultFieldNullability: false } as never);
  const noteFields = inputFields<FieldBuilder>()({
    title: {
      schema: z.string().trim().min(1, 'must not be empty').max(10, 'must be at most 10 characters'),
      field: (t) => t.string({ required: true, description: 'Title (≤ 10 characters).' }),
    },
    tags: {
      schema: z.array(z.string()).max(2, 'at most 2 tags').default([]),
      field: (t) => t.stringList({ required: false, description: 'Tags (at most 2).' }),
    },
  });

  it('gives the GraphQL input its fields in table order', () => {
    const NoteInput = builder.inputType('NoteInput', { fields: (t) => noteFields.fields(t) });
    builder.queryType({
      fields: (t) => ({
        echo: t.string({
          args: { input: t.arg({ type: NoteInput, required: true }) },
          resolve: (_root, args) => parseInput(noteFields.schema, args.input).title,
        }),
      }),
    });
    expect(printSchema(builder.toSchema({ sortSchema: false }))).toContain(
      'input NoteInput {\n  """Title (≤ 10 characters)."""\n  title: String!\n\n  """Tags (at most 2)."""\n  tags: [String!]\n}',
    );
  });

  it('gives the domain the zod object of the same fields', () => {
    expect(parseInput(noteFields.schema, { title: '  Hi ' })).toEqual({ title: 'Hi', tags: [] });
    try {
      parseInput(noteFields.schema, { title: ' ', tags: ['a', 'b', 'c'] });
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: { problems: unknown } }).extensions.problems).toEqual([
        { field: 'input.title', message: 'must not be empty' },
        { field: 'input.tags', message: 'at most 2 tags' },
      ]);
    }
  });
});
