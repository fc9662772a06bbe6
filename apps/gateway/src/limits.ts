import {
  type DocumentNode,
  type FieldNode,
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

/** The request's variables, plus the declared default of each one it leaves out (as execution does). */
function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const effective: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && variables[name] === undefined) {
      effective[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  return Object.assign(effective, variables);
}

/** Walks selections, adding up an operation's shape; fragments are expanded where they are spread. */
class ShapeWalker {
  readonly shape: OperationShape = { depth: 0, aliases: 0, rootFields: 0, directives: 0, cost: 0 };
  private measured = 0;
  private readonly visiting = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly defaultListSize: number,
  ) {}

  walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    isRoot: boolean,
  ): void {
    for (const selection of selectionSet.selections) {
      if (++this.measured > MAX_MEASURED_SELECTIONS) {
        this.shape.cost = Number.POSITIVE_INFINITY;
        return;
      }
      this.shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        this.field(selection, parent, depth, multiplier, isRoot);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        this.walk(selection.selectionSet, typed ?? undefined, depth, multiplier, isRoot);
      } else {
        this.spread(selection.name.value, depth, multiplier, isRoot);
      }
    }
  }

  private field(
    selection: FieldNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    isRoot: boolean,
  ): void {
    if (selection.alias) this.shape.aliases++;
    if (isRoot) this.shape.rootFields++;
    const name = selection.name.value;
    if (name.startsWith('__')) return;
    const field = fieldOf(parent, name);
    const isList = field ? isListType(getNullableType(field.type)) : false;
    // A relay connection's page size applies to its edges; the edges list itself adds nothing.
    const isConnection = field ? getNamedType(field.type).name.endsWith('Connection') : false;
    const inConnection = parent?.name.endsWith('Connection') && (name === 'edges' || name === 'nodes');
    const factor =
      (isList && !inConnection) || isConnection
        ? listSize(selection.arguments ?? [], this.variables, this.defaultListSize)
        : 1;
    this.shape.cost += multiplier;
    this.shape.depth = Math.max(this.shape.depth, depth + 1);
    if (selection.selectionSet) {
      const type = field ? getNamedType(field.type) : undefined;
      this.walk(selection.selectionSet, type, depth + 1, multiplier * factor, false);
    }
  }

  private spread(name: string, depth: number, multiplier: number, isRoot: boolean): void {
    const fragment = this.fragments.get(name);
    if (!fragment) return;
    if (this.visiting.has(name)) {
      this.shape.depth = Number.POSITIVE_INFINITY;
      return;
    }
    this.visiting.add(name);
    const type = this.schema.getType(fragment.typeCondition.name.value) ?? undefined;
    this.walk(fragment.selectionSet, type, depth, multiplier, isRoot);
    this.visiting.delete(name);
  }
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
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const walker = new ShapeWalker(schema, fragments, withDefaults(operation, variables), defaultListSize);
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) {
      walker.shape.directives += def.directives?.length ?? 0;
    }
  }
  walker.walk(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, 0, 1, true);
  return walker.shape;
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
