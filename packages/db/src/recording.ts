import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';

/** Every SQL statement Prisma sent, in order; tests use it to prove a constant query count. */
export interface SqlRecorder {
  statements: string[];
  reset(): void;
}

export function createSqlRecorder(): SqlRecorder {
  const recorder: SqlRecorder = {
    statements: [],
    reset() {
      recorder.statements.length = 0;
    },
  };
  return recorder;
}

function recordQueries<T extends SqlQueryable>(target: T, onStatement: (sql: string) => void): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === 'queryRaw' || prop === 'executeRaw') {
        return (query: SqlQuery) => {
          onStatement(query.sql);
          return (value as (q: SqlQuery) => unknown).call(obj, query);
        };
      }
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) => {
          const tx = (await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args)) as Transaction;
          return recordQueries(tx, onStatement);
        };
      }
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** Wraps a driver adapter factory so that every statement Prisma sends is reported. */
export function recordingAdapter(
  factory: SqlDriverAdapterFactory,
  onStatement: (sql: string) => void,
): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === 'connect') {
        return async () =>
          recordQueries((await (value as () => Promise<SqlDriverAdapter>).call(obj)) as SqlDriverAdapter, onStatement);
      }
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}
