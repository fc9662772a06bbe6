import { join, resolve } from 'node:path';

/** Where one subgraph keeps its data. */
export type DatabaseTarget =
  | { kind: 'pglite'; name: string; dataDir: string }
  | { kind: 'postgres'; name: string; url: string; database: string };

export interface DatabaseTargetOptions {
  /** The subgraph's name, e.g. `engagement`. */
  name: string;
  /** `DATABASE_URL`: a PostgreSQL server; each subgraph gets its own database on it. */
  databaseUrl?: string | undefined;
  /** `<NAME>_DATABASE_URL`: this subgraph's own database, used as given. */
  ownDatabaseUrl?: string | undefined;
  /** Folder that holds the PGlite folders (`.data/` at the repository root by default). */
  dataRoot: string;
}

export function databaseNameFor(subgraph: string): string {
  return `civic_${subgraph.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
}

export function resolveDatabaseTarget(options: DatabaseTargetOptions): DatabaseTarget {
  const { name } = options;
  if (options.ownDatabaseUrl) {
    const url = new URL(options.ownDatabaseUrl);
    return { kind: 'postgres', name, url: url.toString(), database: decodeURIComponent(url.pathname.slice(1)) };
  }
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    const database = databaseNameFor(name);
    url.pathname = `/${database}`;
    return { kind: 'postgres', name, url: url.toString(), database };
  }
  return { kind: 'pglite', name, dataDir: resolve(join(options.dataRoot, name)) };
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}
