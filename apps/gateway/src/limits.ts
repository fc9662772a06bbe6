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
  isInputObjectType,
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
import { type DemandDirectives, type FieldDemand, type ListSize, NO_DEMAND_DIRECTIVES } from './limits-directives.ts';

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** Fields the operation may resolve, each list field multiplying what is under it. */
  cost: number;
}

/**
 * Selections measured at most: fragments are expanded where they are spread, so fragments that
 * spread each other twice per level would otherwise take exponential time to measure.
 */
const MAX_MEASURED_SELECTIONS = 100_000;

/** A connection's expected size, handed down to the fields its `@listSize(sizedFields:)` names (edges). */
interface SizedFields {
  names: readonly string[];
  size: number;
}

function numberFrom(value: ValueNode, variables: Record<string, unknown>): number | undefined {
  const n =
    value.kind === Kind.INT
      ? Number(value.value)
      : value.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : undefined;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The size a list field is expected to return, as the cost spec reads `@listSize`: the largest of its
 * slicing arguments (given literally, as a variable, as that variable's default, or else the argument's
 * own default), otherwise its `assumedSize`; lists without either take the gateway's default list size.
 */
function expectedSize(
  selection: FieldNode,
  field: GraphQLField<unknown, unknown> | undefined,
  listSize: ListSize | undefined,
  variables: Record<string, unknown>,
  defaultListSize: number,
): number {
  const sizes: number[] = [];
  for (const name of listSize?.slicingArguments ?? []) {
    const given = selection.arguments?.find((a) => a.name.value === name)?.value;
    // An argument left out, or given as a variable the request leaves out, takes the argument's default.
    const omitted = !given || (given.kind === Kind.VARIABLE && variables[given.name.value] === undefined);
    const size = omitted
      ? numberOrUndefined(field?.args.find((a) => a.name === name)?.defaultValue)
      : numberFrom(given, variables);
    if (size !== undefined) sizes.push(size);
  }
  if (sizes.length > 0) return Math.max(...sizes);
  return listSize?.assumedSize ?? defaultListSize;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
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
    private readonly demand: DemandDirectives,
  ) {}

  walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    isRoot: boolean,
    sized?: SizedFields,
  ): void {
    for (const selection of selectionSet.selections) {
      if (++this.measured > MAX_MEASURED_SELECTIONS) {
        this.shape.cost = Number.POSITIVE_INFINITY;
        return;
      }
      this.shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        this.field(selection, parent, depth, multiplier, isRoot, sized);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        this.walk(selection.selectionSet, typed ?? undefined, depth, multiplier, isRoot, sized);
      } else {
        this.spread(selection.name.value, depth, multiplier, isRoot, sized);
      }
    }
  }

  private field(
    selection: FieldNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    isRoot: boolean,
    sized: SizedFields | undefined,
  ): void {
    if (selection.alias) this.shape.aliases++;
    if (isRoot) this.shape.rootFields++;
    const name = selection.name.value;
    if (name.startsWith('__')) return;
    const field = fieldOf(parent, name);
    const demand = parent ? this.demand.fields.get(`${parent.name}.${name}`) : undefined;
    const listSize = demand?.listSize;
    const isList = field ? isListType(getNullableType(field.type)) : false;
    // A connection's edges are counted once per item of the page, as the old first/last rule did.
    const isSized = sized?.names.includes(name) ?? false;
    const runs = multiplier * (isSized && sized ? sized.size : 1);
    this.shape.cost += runs * (demand?.weight ?? 1) + multiplier * this.argumentWeight(selection, field, demand);
    this.shape.depth = Math.max(this.shape.depth, depth + 1);
    if (!selection.selectionSet) return;
    const type = field ? getNamedType(field.type) : undefined;
    if (listSize?.sizedFields?.length) {
      const size = expectedSize(selection, field, listSize, this.variables, this.defaultListSize);
      this.walk(selection.selectionSet, type, depth + 1, runs, false, { names: listSize.sizedFields, size });
      return;
    }
    const factor =
      isList && !isSized ? expectedSize(selection, field, listSize, this.variables, this.defaultListSize) : 1;
    this.walk(selection.selectionSet, type, depth + 1, runs * factor, false);
  }

  /** `@cost` of the arguments given (and of the input fields given inside them), once per run of the field. */
  private argumentWeight(
    selection: FieldNode,
    field: GraphQLField<unknown, unknown> | undefined,
    demand: FieldDemand | undefined,
  ): number {
    let weight = 0;
    for (const arg of selection.arguments ?? []) {
      const value = valueFromASTUntyped(arg.value, this.variables);
      if (value === undefined || value === null) continue;
      weight += demand?.argumentWeights.get(arg.name.value) ?? 0;
      const definition = field?.args.find((a) => a.name === arg.name.value);
      if (definition) weight += this.inputWeight(getNamedType(definition.type), value);
    }
    return weight;
  }

  private inputWeight(type: GraphQLNamedType, value: unknown, depth = 0): number {
    if (!isInputObjectType(type) || typeof value !== 'object' || value === null || depth > 5) return 0;
    let weight = 0;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'object' || item === null) continue;
      for (const [name, inner] of Object.entries(item)) {
        if (inner === undefined || inner === null) continue;
        weight += this.demand.inputFieldWeights.get(`${type.name}.${name}`) ?? 0;
        const fieldType = type.getFields()[name]?.type;
        if (fieldType) weight += this.inputWeight(getNamedType(fieldType), inner, depth + 1);
      }
    }
    return weight;
  }

  private spread(name: string, depth: number, multiplier: number, isRoot: boolean, sized?: SizedFields): void {
    const fragment = this.fragments.get(name);
    if (!fragment) return;
    if (this.visiting.has(name)) {
      this.shape.depth = Number.POSITIVE_INFINITY;
      return;
    }
    this.visiting.add(name);
    const type = this.schema.getType(fragment.typeCondition.name.value) ?? undefined;
    this.walk(fragment.selectionSet, type, depth, multiplier, isRoot, sized);
    this.visiting.delete(name);
  }
}

/**
 * Measures an operation, following fragment spreads (each fragment is expanded where it is used,
 * and a cycle counts as too deep). Unknown fields count as leaves: validation rejects them anyway.
 * List sizes and weights come from the supergraph's `@listSize` and `@cost` (`demand`); a list
 * field without `@listSize` counts as `defaultListSize` items.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  defaultListSize: number,
  demand: DemandDirectives = NO_DEMAND_DIRECTIVES,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const walker = new ShapeWalker(schema, fragments, withDefaults(operation, variables), defaultListSize, demand);
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
