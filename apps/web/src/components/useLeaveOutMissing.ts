import { type Dispatch, type SetStateAction, useEffect } from 'react';
import type { CombinedError } from 'urql';
import { unavailableServices } from './QueryState.tsx';

/**
 * When a subgraph is down, the gateway nulls the whole entity if a non-null field from that
 * subgraph is missing. A page that got nothing back asks again with those sections left out
 * (`@include(if: …)`), so it still shows what the other subgraphs have.
 */
export function useLeaveOutMissing(
  error: CombinedError | undefined,
  gotNothing: boolean,
  setSkipped: Dispatch<SetStateAction<string[]>>,
): void {
  const missing = gotNothing ? unavailableServices(error).join(',') : '';
  useEffect(() => {
    if (!missing) return;
    setSkipped((current) => {
      const next = [...new Set([...current, ...missing.split(',')])];
      return next.length === current.length ? current : next;
    });
  }, [missing, setSkipped]);
}
