import { plugins, type SharedSchemaTypes, sharedBuilderOptions, type TypesOf } from '@civic/graphql-kit/builder';
import type { SharedScalars } from '@civic/graphql-kit/scalars';
import SchemaBuilder from '@pothos/core';
import type { Context } from './context.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';

export const builder = new SchemaBuilder<
  SharedSchemaTypes & {
    Context: Context;
    PrismaTypes: PrismaTypes;
    Scalars: Pick<SharedScalars, 'ID' | 'DateTime'>;
  }
>({ plugins, ...sharedBuilderOptions(getDatamodel()) });

export type Types = TypesOf<typeof builder>;
