import {
  inputFields,
  type InputFieldSpec as KitFieldSpec,
  type InputFieldTable as KitFieldTable,
} from '@civic/graphql-kit/input-fields';
import type { InputFieldBuilder } from '@pothos/core';
import type { Types } from '../builder.ts';

/**
 * An input of this subgraph as one table: each field's zod rule and its GraphQL field. The domain
 * parses with `.schema`, the schema file declares the input type with `.fields(t)`.
 */
export const inputTable = inputFields<FieldBuilder>();

type FieldBuilder = InputFieldBuilder<Types, 'InputObject'>;
/** One field of an input table (for fields several inputs share). */
export type InputFieldSpec = KitFieldSpec<FieldBuilder>;
/** Part of an input table, spread into several inputs. */
export type InputFieldTable = KitFieldTable<FieldBuilder>;
