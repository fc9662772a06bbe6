import { countedConnection as sharedCountedConnection } from '@civic/graphql-kit/connections';
import type { Types } from '../builder.ts';

/** Options for a counted connection type of this subgraph (see `@civic/graphql-kit/connections`). */
export const countedConnection = (name: string, what: string) => sharedCountedConnection<Types>(name, what);
