import { useSyncExternalStore } from 'react';

/** A route is the hash path split into segments: "#/concerns/abc" → ["concerns", "abc"]. */
export interface Route {
  segments: string[];
  query: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const snapshot = () => window.location.hash;

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  return {
    segments: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(search),
  };
}

/** Hash routing keeps `vite preview` and any static host working without rewrite rules. */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, snapshot));
}

export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
}
