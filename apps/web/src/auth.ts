import { useSyncExternalStore } from 'react';

const KEY = 'civic.token';
const listeners = new Set<() => void>();

/** Claims read from the staff token, only to shape the interface; the gateway verifies it. */
export interface Session {
  token: string;
  role: string;
  department?: string;
  subject?: string;
}

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function decodeSession(token: string): Session | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const role = typeof claims.role === 'string' ? claims.role : '';
    if (role !== 'STAFF' && role !== 'ADMIN') return null;
    return {
      token,
      role,
      department: typeof claims.department === 'string' ? claims.department : undefined,
      subject: typeof claims.sub === 'string' ? claims.sub : undefined,
    };
  } catch {
    return null;
  }
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  const token = useSyncExternalStore(subscribe, getToken);
  return token ? decodeSession(token) : null;
}
