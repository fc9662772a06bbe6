import { ErrorCode } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';

/** Published conversations in one month, as the engagement subgraph reports them through the gateway. */
export interface ConversationMonth {
  month: string;
  published: number;
}

/** Where automatic measures read engagement's figures from. */
export type ConversationStatsSource = (range: { from?: string; to?: string }) => Promise<ConversationMonth[]>;

const responseSchema = z.object({
  data: z
    .object({
      conversationStats: z.array(
        z.object({
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
          published: z.number().int().min(0),
        }),
      ),
    })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

const QUERY =
  'query Initiatives_ConversationStats($from: String, $to: String) { conversationStats(from: $from, to: $to) { month published } }';

export function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } });
}

/** Asks the gateway (a public query), so this subgraph never reads engagement's database. */
export function gatewayConversationStats(gatewayUrl: string, timeoutMs: number): ConversationStatsSource {
  return async ({ from, to }) => {
    let response: Response;
    try {
      response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: QUERY, variables: { from: from ?? null, to: to ?? null } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable(`the gateway at ${gatewayUrl} did not answer (${(error as Error).message})`);
    }
    const body = responseSchema.safeParse(await response.json().catch(() => null));
    if (!body.success) throw unavailable(`the gateway answered conversationStats with an unexpected shape`);
    if (body.data.errors?.length || !body.data.data) {
      const messages = body.data.errors?.map((e) => e.message).join('; ') ?? 'no data';
      throw unavailable(`conversationStats failed: ${messages}`);
    }
    return body.data.data.conversationStats;
  };
}
