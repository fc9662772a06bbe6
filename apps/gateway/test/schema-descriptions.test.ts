import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql';
import { expect, test } from 'vitest';

/** Every public type, field, argument and enum value that has no description, as "Type.field(arg)". */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const has = (description: string | null | undefined) => Boolean(description?.trim());
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    const isRoot = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(
      type as never,
    );
    if (!isRoot && !has(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (!has(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!has(value.description)) missing.push(`${type.name}.${value.name}`);
    } else if (isUnionType(type) && !has(type.description)) {
      missing.push(type.name);
    }
  }
  return missing;
}

test('the public API schema describes every type, field, argument and enum value', () => {
  const sdl = readFileSync(join(import.meta.dirname, '..', 'api-schema.graphql'), 'utf8');
  expect(undocumented(buildSchema(sdl))).toEqual([]);
});

test('the check finds what is missing', () => {
  const schema = buildSchema(`
    """Root"""
    type Query {
      """Documented."""
      a(x: Int): Thing
      b: Int
    }
    type Thing { """Documented.""" v: Kind }
    """Kinds."""
    enum Kind { """One.""" ONE TWO }
  `);
  expect(undocumented(schema)).toEqual(['Query.a(x)', 'Query.b', 'Thing', 'Kind.TWO']);
});
