import { IN_PLACE_MARK } from '@civic/server-kit/invalidations';
import {
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Answers that hold no entity (a dashboard, a report, a count) carry this tag: what they are made of
 * cannot be read from them, so every write invalidates them.
 */
export const DERIVED_TAG = 'derived';

type Fragments = Record<string, FragmentDefinitionNode>;

const isEntity = (type: GraphQLObjectType) => 'id' in type.getFields();

/**
 * The entity types a list of `type` holds: itself, or for a list of edges the entities they point to
 * (a connection's `edges { node }`), so an empty page is tagged too.
 */
function listedEntities(type: GraphQLObjectType): string[] {
  if (isEntity(type)) return [type.name];
  return Object.values(type.getFields()).flatMap((field) => {
    const named = getNamedType(field.type);
    return isObjectType(named) &&
      isEntity(named) &&
      !isListType(isNonNullType(field.type) ? field.type.ofType : field.type)
      ? [named.name]
      : [];
  });
}

/** The response key under which a selection set returns the field `name` (its alias, or the name). */
function responseKeyOf(selectionSet: SelectionSetNode, name: string, fragments: Fragments): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === name) return selection.alias?.value ?? name;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : selection.kind === Kind.FRAGMENT_SPREAD
          ? fragments[selection.name.value]?.selectionSet
          : undefined;
    const key = inner && responseKeyOf(inner, name, fragments);
    if (key) return key;
  }
  return undefined;
}

/**
 * The tags of an operation's result: `Type:id` (and `Type:*`) for each entity it holds (an object type
 * with an `id` field, whose id was selected), and `Type` where the answer would change if any `Type`
 * were added or changed: a list of them, a null where one could be, one whose id was not selected (also
 * tagged `Type:?`). The schema and the document say what each value is; the client's selection is not
 * changed.
 */
export function tagsOfResult(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  data: Record<string, unknown> | null | undefined,
): Set<string> {
  const tags = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root || !data) return tags;

  const visitObject = (selectionSet: SelectionSetNode, type: GraphQLObjectType, value: Record<string, unknown>) => {
    if (isEntity(type)) {
      const key = responseKeyOf(selectionSet, 'id', fragments);
      const id = key === undefined ? undefined : value[key];
      if (typeof id === 'string' || typeof id === 'number') {
        tags.add(`${type.name}:${id}`);
        tags.add(`${type.name}:*`);
      } else {
        tags.add(type.name);
        tags.add(`${type.name}:?`);
      }
    }
    visitSelections(selectionSet, type, value);
  };

  const visitValue = (selectionSet: SelectionSetNode | undefined, type: GraphQLOutputType, value: unknown) => {
    const inner = isNonNullType(type) ? type.ofType : type;
    const named = getNamedType(inner);
    if (!selectionSet || !isObjectType(named)) return;
    if (isListType(inner)) {
      for (const listed of listedEntities(named)) tags.add(listed);
      if (Array.isArray(value)) for (const item of value) visitValue(selectionSet, inner.ofType, item);
      return;
    }
    if (value === null || typeof value !== 'object') {
      if (isEntity(named)) tags.add(named.name);
      return;
    }
    visitObject(selectionSet, named, value as Record<string, unknown>);
  };

  const visitSelections = (selectionSet: SelectionSetNode, type: GraphQLObjectType, value: Record<string, unknown>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = type.getFields()[selection.name.value];
        if (!field) continue;
        visitValue(selection.selectionSet, field.type, value[selection.alias?.value ?? selection.name.value]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (!condition || condition === type.name) visitSelections(selection.selectionSet, type, value);
      } else {
        const fragment = fragments[selection.name.value];
        if (fragment && fragment.typeCondition.name.value === type.name) {
          visitSelections(fragment.selectionSet, type, value);
        }
      }
    }
  };

  // Root fields one by one: one that yields no entity tag (a report, a count) is derived.
  for (const selection of operation.selectionSet.selections) {
    const before = tags.size;
    const single: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [selection] };
    visitSelections(single, root, data);
    const field = selection.kind === Kind.FIELD ? root.getFields()[selection.name.value] : undefined;
    const named = field && getNamedType(field.type);
    const connection = named?.name.endsWith('Connection') ?? false;
    const entity = named !== undefined && isObjectType(named) && isEntity(named);
    if (tags.size === before || !(entity || connection)) tags.add(DERIVED_TAG);
  }
  return tags;
}

/**
 * What a write invalidates, from the tags of its result: each entity it returned and every answer that
 * lists or could hold its type; every answer holding an entity of a type it returned without its id
 * (it does not say which one changed); every derived answer. A background write's `=Type:<id>`
 * (`changedInPlace` in @civic/server-kit/invalidations: its own fields changed, no list's membership
 * or order did) clears only the answers holding that entity, or holding a `Type` without its id.
 */
export function invalidationTags(writeTags: Set<string>): string[] {
  const tags = new Set<string>([DERIVED_TAG]);
  for (const tag of writeTags) {
    if (tag === DERIVED_TAG || tag.endsWith(':*')) continue;
    const inPlace = tag.startsWith(IN_PLACE_MARK);
    const plain = inPlace ? tag.slice(IN_PLACE_MARK.length) : tag;
    const colon = plain.indexOf(':');
    const type = colon === -1 ? plain : plain.slice(0, colon);
    if (inPlace && colon > 0 && !plain.endsWith(':?')) {
      tags.add(plain);
      tags.add(`${type}:?`);
      continue;
    }
    tags.add(type);
    if (plain.endsWith(':?')) tags.add(`${type}:*`);
    else if (colon !== -1) tags.add(plain);
  }
  return [...tags];
}
