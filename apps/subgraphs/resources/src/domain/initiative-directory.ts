import { ErrorCode } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';

/** Whether an initiative with this id exists, as its owner (the initiatives subgraph) says. */
export type InitiativeDirectory = (id: string) => Promise<boolean>;

const responseSchema = z.object({
  data: z
    .object({ initiative: z.object({ id: z.string() }).nullable() })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

const QUERY = 'query Resources_InitiativeExists($id: ID!) { initiative(id: $id) { id } }';

/** The directory the subgraph put on the request context (see createResourcesSubgraph). */
export function initiativeDirectory(ctx: object): InitiativeDirectory {
  const directory = (ctx as { initiatives?: InitiativeDirectory }).initiatives;
  if (!directory) throw unavailable('Cannot check the initiative now: no initiatives directory is configured');
  return directory;
}

function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } });
}

/**
 * Asks the gateway (a public query answered by the initiatives subgraph), so resources never
 * reads initiatives' database and never trusts an id it has not seen the owner confirm.
 */
export function gatewayInitiatives(gatewayUrl: string, timeoutMs: number): InitiativeDirectory {
  return async (id) => {
    let response: Response;
    try {
      response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: QUERY, variables: { id } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable(`Cannot check the initiative now: the gateway did not answer (${(error as Error).message})`);
    }
    const body = responseSchema.safeParse(await response.json().catch(() => null));
    if (!body.success || body.data.errors?.length || !body.data.data) {
      throw unavailable('Cannot check the initiative now: the initiatives service did not answer');
    }
    return body.data.data.initiative !== null;
  };
}
