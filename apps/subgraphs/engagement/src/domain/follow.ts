import { translate } from '@civic/alignment/translate';
import type { Database } from '@civic/db/connect';
import { parseInput } from '@civic/graphql-kit/write';
import { type JobQueue, type SqlExecutor, startJobQueue } from '@civic/jobs/queue';
import { badInput, notFound } from '@civic/server-kit/errors';
import type { Logger } from '@civic/server-kit/logger';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { EngagementPrisma } from '../db.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import {
  confirmationMail,
  createMailer,
  linkUrl,
  type Mailer,
  type MailLanguage,
  signLinkToken,
  statusMail,
  verifyLinkToken,
} from './follow-mail.ts';
import { type InputTable, id, zodObject } from './input-rules.ts';
import { isPublicConcern, PUBLIC_CONCERN } from './visibility.ts';

/**
 * Residents follow a concern, a neighborhood or an initiative by email, without an account (double
 * opt-in). Events are jobs written in the transaction of the change (an outbox) on the durable queue;
 * the worker here translates public notes and mails confirmed followers. Addresses never leave this
 * module except to the mail transport.
 */

export const FOLLOW_JOBS = {
  confirmation: 'follow-confirmation',
  concernChanged: 'concern-status-changed',
  followerMail: 'follower-mail',
} as const;

export interface FollowRuntime {
  queue: JobQueue;
  stop(): Promise<void>;
}

const runtimes = new WeakMap<object, FollowRuntime>();

export function followRuntime(prisma: object): FollowRuntime | undefined {
  return runtimes.get(prisma);
}

/** pg-boss runs its INSERT through the write's own Prisma transaction: the job commits with it. */
function transactionExecutor(tx: Prisma.TransactionClient): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      return { rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values) };
    },
  };
}

/**
 * Queues the "status changed" event in the caller's transaction. Without a running worker (a test
 * that does not start one) there is no queue to write to and the event is not recorded.
 */
export async function recordStatusEvent(
  prisma: EngagementPrisma,
  tx: Prisma.TransactionClient,
  changeId: string,
): Promise<void> {
  const runtime = followRuntime(prisma);
  if (!runtime) return;
  await runtime.queue.send(FOLLOW_JOBS.concernChanged, { changeId }, { db: transactionExecutor(tx) });
}

const SIGNUPS_PER_ADDRESS_PER_HOUR = 5;
const signups = new Map<string, number[]>();

/** At most 5 confirmation messages an hour to one address (beyond that the answer is the same, no mail). */
function allowSignup(email: string): boolean {
  const now = Date.now();
  const recent = (signups.get(email) ?? []).filter((t) => now - t < 3_600_000);
  if (recent.length >= SIGNUPS_PER_ADDRESS_PER_HOUR) {
    signups.set(email, recent);
    return false;
  }
  recent.push(now);
  signups.set(email, recent);
  return true;
}

function unavailable(): GraphQLError {
  return new GraphQLError('Following is not available right now; try again shortly', {
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  });
}

export const FOLLOW_INPUT = {
  targetKind: {
    graphql: { type: 'FollowTargetKind', required: true, description: 'What kind of thing.' },
    rule: z.enum(['CONCERN', 'NEIGHBORHOOD', 'INITIATIVE']),
  },
  targetId: { graphql: { type: 'ID', required: true, description: 'Its id.' }, rule: id },
  email: {
    graphql: { type: 'String', required: true, description: 'Email address (personal data: never shown to anyone).' },
    rule: z.string().trim().toLowerCase().email('must be an email address').max(320),
  },
  language: {
    graphql: { type: 'String', required: false, description: 'Language of the emails: "en" (default) or "es".' },
    rule: z.enum(['en', 'es'], { message: 'must be "en" or "es"' }).default('en'),
  },
  frequency: {
    graphql: { type: 'FollowFrequency', required: false, description: 'Default IMMEDIATE.' },
    rule: z.enum(['IMMEDIATE', 'DAILY']).default('IMMEDIATE'),
  },
} satisfies InputTable;
const followInput = zodObject(FOLLOW_INPUT);

/** A link token is a few hundred characters at most (as the gateway's link pages also require). */
function linkToken(token: string): string {
  if (token.length > 500) throw badInput('token is too long', [{ field: 'token', message: 'At most 500 characters' }]);
  return token;
}

/**
 * Starts following (unconfirmed) and queues the confirmation message. The answer is the same whether
 * the address already follows or not, so it cannot be used to learn who follows what.
 */
export async function follow(ctx: Context, rawInput: unknown): Promise<boolean> {
  const input = parseInput(followInput, rawInput);
  const { prisma } = ctx;
  const runtime = followRuntime(prisma);
  if (!runtime) throw unavailable();
  if (input.targetKind === 'CONCERN') {
    const concern = await prisma.concern.findFirst({
      where: { id: input.targetId, ...PUBLIC_CONCERN },
      select: { id: true },
    });
    if (!concern) throw notFound('Concern', input.targetId);
  } else if (input.targetKind === 'NEIGHBORHOOD') {
    const neighborhood = await prisma.neighborhood.findUnique({ where: { id: input.targetId }, select: { id: true } });
    if (!neighborhood) throw notFound('Neighborhood', input.targetId);
  }
  const key = { targetKind: input.targetKind, targetId: input.targetId, email: input.email };
  const existing = await prisma.follower.findUnique({ where: { targetKind_targetId_email: key } });
  if (existing?.confirmedAt) return true;
  if (!allowSignup(input.email)) return true;
  await prisma.$transaction(async (tx) => {
    const follower =
      existing ??
      (await tx.follower.create({ data: { ...key, language: input.language, frequency: input.frequency } }));
    await runtime.queue.send(FOLLOW_JOBS.confirmation, { followerId: follower.id }, { db: transactionExecutor(tx) });
  });
  return true;
}

export interface LinkOutcome {
  outcome: 'CONFIRMED' | 'ALREADY_CONFIRMED' | 'UNSUBSCRIBED' | 'INVALID';
  language: MailLanguage | null;
}

export async function confirmFollow(ctx: Context, { token }: { token: string }): Promise<LinkOutcome> {
  const { prisma } = ctx;
  const followerId = await verifyLinkToken(prisma, 'confirm', linkToken(token));
  if (!followerId) return { outcome: 'INVALID', language: null };
  const follower = await prisma.follower.findUnique({ where: { id: followerId } });
  // Unsubscribed since: the address is gone, and a stale confirmation link must not bring it back.
  if (!follower) return { outcome: 'INVALID', language: null };
  const language = follower.language === 'es' ? 'es' : 'en';
  if (follower.confirmedAt) return { outcome: 'ALREADY_CONFIRMED', language };
  await prisma.follower.update({ where: { id: followerId }, data: { confirmedAt: new Date() } });
  return { outcome: 'CONFIRMED', language };
}

/** Deletes the address (idempotent: a second click says the same). */
export async function unsubscribe(ctx: Context, { token }: { token: string }): Promise<LinkOutcome> {
  const { prisma } = ctx;
  const followerId = await verifyLinkToken(prisma, 'unsubscribe', linkToken(token));
  if (!followerId) return { outcome: 'INVALID', language: null };
  const follower = await prisma.follower.findUnique({ where: { id: followerId }, select: { language: true } });
  await prisma.follower.deleteMany({ where: { id: followerId } });
  return { outcome: 'UNSUBSCRIBED', language: follower ? (follower.language === 'es' ? 'es' : 'en') : null };
}

function otherLanguage(language: string): MailLanguage {
  return language === 'es' ? 'en' : 'es';
}

export async function startFollowWorker(
  prisma: EngagementPrisma,
  database: Database,
  logger: Logger,
  options: { pollingIntervalSeconds?: number; mailer?: Mailer } = {},
): Promise<FollowRuntime> {
  const mailer = options.mailer ?? createMailer();
  const queue = await startJobQueue(database, {
    schema: 'engagement_notify',
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    queues: {
      [FOLLOW_JOBS.confirmation]: { policy: 'standard' },
      [FOLLOW_JOBS.concernChanged]: { policy: 'standard' },
      [FOLLOW_JOBS.followerMail]: { policy: 'short' },
    },
  });

  await queue.work<{ followerId: string }>(FOLLOW_JOBS.confirmation, async (job) => {
    const follower = await prisma.follower.findUnique({ where: { id: job.data.followerId } });
    if (!follower || follower.confirmedAt) return;
    const language = follower.language === 'es' ? 'es' : 'en';
    const title = await targetTitle(prisma, follower.targetKind, follower.targetId, language);
    const token = await signLinkToken(prisma, 'confirm', follower.id);
    await mailer.send(
      confirmationMail(follower.email, language, follower.targetKind, title, linkUrl('confirm', token)),
    );
  });

  await queue.work<{ changeId: string }>(FOLLOW_JOBS.concernChanged, async (job) => {
    const change = await prisma.concernStatusChange.findUnique({
      where: { id: job.data.changeId },
      include: { concern: true },
    });
    if (!change) return;
    if (change.publicNote && !change.publicNoteTranslation) {
      const [translated] = await translate(
        [change.publicNote],
        change.publicNoteLanguage === 'es' ? 'es' : 'en',
        otherLanguage(change.publicNoteLanguage),
      );
      if (translated) {
        await prisma.concernStatusChange.updateMany({
          where: { id: change.id, publicNoteTranslation: null },
          data: { publicNoteTranslation: translated, publicNoteTranslationMachine: true },
        });
      }
    }
    const concern = change.concern;
    if (!isPublicConcern(concern)) return;
    const followers = await prisma.follower.findMany({
      where: {
        confirmedAt: { not: null },
        frequency: 'IMMEDIATE',
        OR: [
          { targetKind: 'CONCERN', targetId: concern.id },
          ...(concern.neighborhoodId
            ? [{ targetKind: 'NEIGHBORHOOD' as const, targetId: concern.neighborhoodId }]
            : []),
        ],
      },
      orderBy: { createdAt: 'asc' },
      select: { id: true, email: true },
    });
    const seen = new Set<string>();
    for (const f of followers) {
      if (seen.has(f.email)) continue;
      seen.add(f.email);
      await queue.send(
        FOLLOW_JOBS.followerMail,
        { followerId: f.id, changeId: change.id },
        { singletonKey: `${f.id}:${change.id}` },
      );
    }
  });

  await queue.work<{ followerId: string; changeId: string }>(FOLLOW_JOBS.followerMail, async (job) => {
    const follower = await prisma.follower.findUnique({ where: { id: job.data.followerId } });
    if (!follower?.confirmedAt) return;
    const change = await prisma.concernStatusChange.findUnique({
      where: { id: job.data.changeId },
      include: { concern: true },
    });
    if (!change) return;
    const language = follower.language === 'es' ? 'es' : 'en';
    const note = noteIn(change, language);
    const token = await signLinkToken(prisma, 'unsubscribe', follower.id);
    await mailer.send(
      statusMail(
        follower.email,
        language,
        { summary: change.concern.summary, status: change.toStatus },
        note,
        linkUrl('unsubscribe', token),
      ),
    );
  });

  const runtime: FollowRuntime = {
    queue,
    async stop() {
      runtimes.delete(prisma);
      await queue.stop();
      mailer.close();
    },
  };
  runtimes.set(prisma, runtime);
  logger.info('follow worker started');
  return runtime;
}

/** A public note in a language: staff's version, else the machine translation, else the original. */
export function noteIn(
  change: {
    publicNote: string | null;
    publicNoteLanguage: string;
    publicNoteTranslation: string | null;
    publicNoteTranslationMachine: boolean;
  },
  language: string | null | undefined,
): { text: string | null; machineTranslated: boolean } {
  if (!change.publicNote) return { text: null, machineTranslated: false };
  if (!language || language === change.publicNoteLanguage || !change.publicNoteTranslation) {
    return { text: change.publicNote, machineTranslated: false };
  }
  return { text: change.publicNoteTranslation, machineTranslated: change.publicNoteTranslationMachine };
}

async function targetTitle(
  prisma: EngagementPrisma,
  kind: string,
  id: string,
  language: MailLanguage,
): Promise<string> {
  if (kind === 'CONCERN') return (await prisma.concern.findUnique({ where: { id } }))?.summary ?? id;
  if (kind === 'NEIGHBORHOOD') {
    const n = await prisma.neighborhood.findUnique({ where: { id } });
    return (language === 'es' ? n?.nameEs : null) ?? n?.name ?? id;
  }
  return id;
}
