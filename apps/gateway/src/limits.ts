import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import type { Limits } from './env.ts';

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** Fields the operation may resolve, each list field multiplying what is under it. */
  cost: number;
}

const LIST_SIZE_ARGS = ['first', 'last', 'limit'];
/**
 * Selections measured at most: fragments are expanded where they are spread, so fragments that
 * spread each other twice per level would otherwise take exponential time to measure.
 */
const MAX_MEASURED_SELECTIONS = 100_000;

function listSize(
  args: readonly { name: { value: string }; value: ValueNode }[],
  variables: Record<string, unknown>,
  fallback: number,
): number {
  for (const arg of args) {
    if (!LIST_SIZE_ARGS.includes(arg.name.value)) continue;
    const value =
      arg.value.kind === Kind.INT
        ? Number(arg.value.value)
        : arg.value.kind === Kind.VARIABLE
          ? variables[arg.value.name.value]
          : undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return fallback;
}

function fieldOf(type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (type && (isObjectType(type) || isInterfaceType(type))) return type.getFields()[name];
  return undefined;
}

/**
 * Measures an operation, following fragment spreads (each fragment is expanded where it is used,
 * and a cycle counts as too deep). Unknown fields count as leaves: validation rejects them anyway.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  defaultListSize: number,
): OperationShape {
  // A variable the request leaves out takes its declared default, which execution uses too.
  const effective: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && variables[name] === undefined) {
      effective[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  Object.assign(effective, variables);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const shape: OperationShape = { depth: 0, aliases: 0, rootFields: 0, directives: 0, cost: 0 };
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) {
      shape.directives += def.directives?.length ?? 0;
    }
  }

  let measured = 0;
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    visiting: Set<string>,
    isRoot: boolean,
  ) => {
    for (const selection of selectionSet.selections) {
      if (++measured > MAX_MEASURED_SELECTIONS) {
        shape.cost = Number.POSITIVE_INFINITY;
        return;
      }
      shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) shape.aliases++;
        if (isRoot) shape.rootFields++;
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field = fieldOf(parent, name);
        const isList = field ? isListType(getNullableType(field.type)) : false;
        // A relay connection's page size applies to its edges; the edges list itself adds nothing.
        const isConnection = field ? getNamedType(field.type).name.endsWith('Connection') : false;
        const inConnection = parent?.name.endsWith('Connection') && (name === 'edges' || name === 'nodes');
        const factor =
          (isList && !inConnection) || isConnection
            ? listSize(selection.arguments ?? [], effective, defaultListSize)
            : 1;
        shape.cost += multiplier;
        shape.depth = Math.max(shape.depth, depth + 1);
        if (selection.selectionSet) {
          walk(
            selection.selectionSet,
            field ? getNamedType(field.type) : undefined,
            depth + 1,
            multiplier * factor,
            visiting,
            false,
          );
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, typed ?? undefined, depth, multiplier, visiting, isRoot);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue;
        if (visiting.has(name)) {
          shape.depth = Number.POSITIVE_INFINITY;
          continue;
        }
        visiting.add(name);
        walk(
          fragment.selectionSet,
          schema.getType(fragment.typeCondition.name.value) ?? undefined,
          depth,
          multiplier,
          visiting,
          isRoot,
        );
        visiting.delete(name);
      }
    }
  };
  const root = schema.getRootType(operation.operation) ?? undefined;
  walk(operation.selectionSet, root, 0, 1, new Set(), true);
  return shape;
}

function reject(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** The first limit an operation exceeds, as a client error (HTTP 400), or null. */
export function checkLimits(shape: OperationShape, limits: Limits): GraphQLError | null {
  if (shape.depth > limits.maxDepth) {
    return reject('QUERY_TOO_DEEP', `The operation is nested deeper than ${limits.maxDepth} levels`);
  }
  if (shape.aliases > limits.maxAliases) {
    return reject('TOO_MANY_ALIASES', `The operation uses more than ${limits.maxAliases} aliases`);
  }
  if (shape.rootFields > limits.maxRootFields) {
    return reject('TOO_MANY_ROOT_FIELDS', `The operation asks for more than ${limits.maxRootFields} top-level fields`);
  }
  if (shape.directives > limits.maxDirectives) {
    return reject('TOO_MANY_DIRECTIVES', `The operation uses more than ${limits.maxDirectives} directives`);
  }
  if (shape.cost > limits.maxCost) {
    return reject(
      'QUERY_TOO_COMPLEX',
      Number.isFinite(shape.cost)
        ? `The operation could resolve about ${Math.round(shape.cost)} fields, more than the limit of ${limits.maxCost}; ask for smaller pages`
        : `The operation could resolve more fields than the limit of ${limits.maxCost}; ask for smaller pages`,
    );
  }
  return null;
}
