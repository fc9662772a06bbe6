import { useDeferredValue } from 'react';
import { type AnyVariables, type UseQueryArgs, type UseQueryResponse, useQuery } from 'urql';

/**
 * urql's useQuery, with its answer rendered in the background: React first commits what was shown
 * (loading), then renders the page from the new answer as a transition, in slices it can interrupt,
 * instead of one long task that keeps a phone from answering a tap.
 */
export function useDeferredQuery<Data = unknown, Variables extends AnyVariables = AnyVariables>(
  args: UseQueryArgs<Variables, Data>,
): UseQueryResponse<Data, Variables> {
  const [result, reexecute] = useQuery<Data, Variables>(args);
  return [useDeferredValue(result), reexecute];
}
