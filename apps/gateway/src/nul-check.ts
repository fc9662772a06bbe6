import { type DocumentNode, GraphQLError, visit } from 'graphql';
import type { OperationCheck } from './operation-checks.ts';

/** Whether any string value written in the document holds a NUL. */
function documentHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

function variablesHaveNul(variables: unknown): boolean {
  const stack: unknown[] = [variables];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string' && value.includes('\u0000')) return true;
    if (value && typeof value === 'object') stack.push(...Object.values(value));
  }
  return false;
}

/** Whether any string in the variables or the document holds a NUL, which no text column can store. */
export function hasNul(document: DocumentNode, variables: unknown): boolean {
  return variablesHaveNul(variables) || documentHasNul(document);
}

export function nulCheck(): OperationCheck {
  // Apollo Server hands the same parsed document to every request with the same query text: walk it once.
  const inDocument = new WeakMap<DocumentNode, boolean>();
  return ({ document, request }) => {
    let documentNul = inDocument.get(document);
    if (documentNul === undefined) {
      documentNul = documentHasNul(document);
      inDocument.set(document, documentNul);
    }
    if (documentNul || variablesHaveNul(request.variables)) {
      throw new GraphQLError('Text must not contain NUL characters', {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
  };
}
