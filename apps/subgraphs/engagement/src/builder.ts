import { plugins, type SharedSchemaTypes, sharedBuilderOptions, type TypesOf } from '@civic/graphql-kit/builder';
import type { SharedScalars } from '@civic/graphql-kit/scalars';
import SchemaBuilder from '@pothos/core';
import type { PrismaObjectRef } from '@pothos/plugin-prisma';
import type { Context } from './context.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';

export const builder = new SchemaBuilder<
  SharedSchemaTypes & {
    Context: Context;
    PrismaTypes: PrismaTypes;
    Scalars: SharedScalars;
  }
>({ plugins, ...sharedBuilderOptions(getDatamodel()) });

export type Types = TypesOf<typeof builder>;

/** The ref type of a Prisma-backed object; annotating with it breaks circular type inference between domains. */
export type ModelRef<Name extends keyof PrismaTypes> = PrismaObjectRef<
  Types,
  PrismaTypes[Name],
  PrismaTypes[Name]['Shape']
>;
