import { type DocumentNode, GraphQLError, visit } from 'graphql';
import type { OperationCheck } from './operation-checks.ts';

/** Whether any string in the variables or the document holds a NUL, which no text column can store. */
export function hasNul(document: DocumentNode, variables: unknown): boolean {
  const stack: unknown[] = [variables];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string' && value.includes('\u0000')) return true;
    if (value && typeof value === 'object') stack.push(...Object.values(value));
  }
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

export const nulCheck: OperationCheck = ({ document, request }) => {
  if (hasNul(document, request.variables)) {
    throw new GraphQLError('Text must not contain NUL characters', {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
};
