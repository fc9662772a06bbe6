import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { badInput, ErrorCode } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { recordChanges } from './change-log.ts';
import { actorName } from './permissions.ts';
import { loadServiceForChange } from './service.ts';

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

const initiativeId = z
  .string()
  .refine((id) => id.trim().length > 0 && id.length <= 100, 'An initiative id (at most 100 characters) is required');

const linkInput = z.object({
  serviceId: z.string(),
  initiativeId,
  note: z.string().max(2000, 'A note has at most 2000 characters').nullable(),
});
const unlinkInput = linkInput.omit({ note: true });

export interface LinkInput {
  serviceId: string;
  initiativeId: string;
  note: string | null;
}

/** Records that a service supports an initiative the initiatives subgraph confirms, or changes the link's note. */
export async function linkServiceToInitiative(ctx: Context, { serviceId, initiativeId, note }: LinkInput) {
  await loadServiceForChange(ctx, serviceId);
  parseInput(linkInput, { serviceId, initiativeId, note }, null, 'The link is not valid');
  if (!(await initiativeDirectory(ctx)(initiativeId))) {
    throw badInput('The link is not valid', [{ field: 'initiativeId', message: `No initiative ${initiativeId}` }]);
  }
  return inTransaction(ctx.prisma, async (tx) => {
    const existing = await tx.serviceInitiativeLink.findUnique({
      where: { serviceId_initiativeId: { serviceId, initiativeId } },
    });
    const link = await tx.serviceInitiativeLink.upsert({
      where: { serviceId_initiativeId: { serviceId, initiativeId } },
      create: { serviceId, initiativeId, note, createdBy: actorName(ctx.identity) },
      update: { note },
    });
    await recordChanges(tx, ctx, { id: serviceId, type: 'service' }, existing ? 'update' : 'create', [
      { fieldName: `initiative:${initiativeId}`, previousValue: existing?.note ?? null, replacementValue: note ?? '' },
    ]);
    return link;
  });
}

/** Removes the link; false when there was none. */
export async function unlinkServiceFromInitiative(
  ctx: Context,
  { serviceId, initiativeId }: Omit<LinkInput, 'note'>,
): Promise<boolean> {
  await loadServiceForChange(ctx, serviceId);
  parseInput(unlinkInput, { serviceId, initiativeId }, null, 'The link is not valid');
  return inTransaction(ctx.prisma, async (tx) => {
    const existing = await tx.serviceInitiativeLink.findUnique({
      where: { serviceId_initiativeId: { serviceId, initiativeId } },
    });
    if (!existing) return false;
    await tx.serviceInitiativeLink.delete({ where: { id: existing.id } });
    await recordChanges(tx, ctx, { id: serviceId, type: 'service' }, 'delete', [
      { fieldName: `initiative:${initiativeId}`, previousValue: existing.note ?? '', replacementValue: null },
    ]);
    return true;
  });
}
