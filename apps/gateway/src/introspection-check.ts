import { type DocumentNode, GraphQLError, NoSchemaIntrospectionCustomRule, validate } from 'graphql';
import type { OperationCheck } from './operation-checks.ts';

/** Introspection is refused to callers other than STAFF and ADMIN unless it is open to everyone. */
export function introspectionCheck(openToEveryone: boolean): OperationCheck {
  // Apollo Server hands the same parsed document to every request with the same query text.
  const introspects = new WeakMap<DocumentNode, boolean>();
  return ({ schema, document, contextValue }) => {
    const role = contextValue.identity.role;
    if (openToEveryone || role === 'STAFF' || role === 'ADMIN') return;
    let asks = introspects.get(document);
    if (asks === undefined) {
      asks = validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0;
      introspects.set(document, asks);
    }
    if (asks) {
      throw new GraphQLError('Introspection is available to signed-in staff only', {
        extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 400 } },
      });
    }
  };
}
