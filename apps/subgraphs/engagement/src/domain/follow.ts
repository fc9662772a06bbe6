import { createHash, createHmac } from 'node:crypto';
import { translate } from '@civic/alignment/translate';
import type { Database } from '@civic/db/connect';
import { parseInput } from '@civic/graphql-kit/write';
import { type JobQueue, type SqlExecutor, setUpOrStop, startJobQueue } from '@civic/jobs/queue';
import { badInput, notFound } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import type { Logger } from '@civic/server-kit/logger';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { EngagementPrisma } from '../db.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { FollowFrequency, FollowTargetKind } from '../schema/enums.ts';
import {
  confirmationMail,
  createMailer,
  disputeStaffMail,
  linkUrl,
  MAIL_JOB_EXPIRE_SECONDS,
  type Mailer,
  type MailLanguage,
  type MailUpdate,
  signLinkToken,
  statusMail,
  updatesMail,
  verifyLinkToken,
} from './follow-mail.ts';
import { id, inputTable } from './input-rules.ts';
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
  /** Scheduled daily (FOLLOW_DIGEST_CRON): gathers each DAILY follower's waiting changes into one digest. */
  digest: 'follower-digest',
  digestMail: 'follower-digest-mail',
  disputeNotice: 'dispute-staff-notice',
} as const;

/** Every day at 18:00 in Durham, unless FOLLOW_DIGEST_CRON / FOLLOW_DIGEST_TZ say otherwise. */
const DIGEST_CRON = process.env.FOLLOW_DIGEST_CRON ?? '0 18 * * *';
const DIGEST_TZ = process.env.FOLLOW_DIGEST_TZ ?? 'America/New_York';

export interface FollowRuntime {
  queue: JobQueue;
  stop(): Promise<void>;
}

const runtimes = new WeakMap<object, FollowRuntime>();

export function followRuntime(prisma: object): FollowRuntime | undefined {
  return runtimes.get(prisma);
}

/** pg-boss runs its INSERT through the write's own Prisma transaction: the job commits with it. */
export function transactionExecutor(tx: Prisma.TransactionClient): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      return { rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values) };
    },
  };
}

/**
 * Queues the "status changed" event in the caller's transaction: one event for the changes of one
 * answer (a citywide group's are many), so a follower is told once. Without a running worker (a test
 * that does not start one) there is no queue to write to and the event is not recorded.
 */
export async function recordStatusEvent(
  prisma: EngagementPrisma,
  tx: Prisma.TransactionClient,
  changeIds: string[],
): Promise<void> {
  const runtime = followRuntime(prisma);
  if (!runtime || changeIds.length === 0) return;
  await runtime.queue.send(FOLLOW_JOBS.concernChanged, { changeIds }, { db: transactionExecutor(tx) });
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

/** Follow sign-ups one client (caller address or API key, as the gateway counts it) may make in an hour. */
export const FOLLOWS_PER_CLIENT_PER_HOUR = 30;
/** Disputes one client may file in a day (a shared address, such as a library's, serves many residents). */
export const DISPUTES_PER_CLIENT_PER_DAY = 10;
const LIMITS = {
  FOLLOW: { limit: FOLLOWS_PER_CLIENT_PER_HOUR, windowMs: 3_600_000, per: 'an hour' },
  DISPUTE: { limit: DISPUTES_PER_CLIENT_PER_DAY, windowMs: 86_400_000, per: 'a day' },
} as const;

/** The stored form of a client: an HMAC, so no caller address is kept in the database. */
export function clientLimitKey(client: string): string {
  const secret = process.env.CIVIC_GATEWAY_SECRET;
  return secret
    ? createHmac('sha256', secret).update(`client limit\n${client}`).digest('base64url')
    : createHash('sha256').update(`civic-graph client limit\n${client}`).digest('base64url');
}

/**
 * Counts one follow sign-up or dispute of the caller's client in the write's transaction (so a
 * refused or failed write counts nothing), refusing with CONFLICT (reason RATE_LIMITED) beyond the
 * client's limit. The gateway names the client on mutations; without one (a call that did not come
 * through the gateway's /graphql) only the per-address limits apply.
 */
export async function countClientAction(
  tx: Prisma.TransactionClient,
  identity: Identity,
  action: keyof typeof LIMITS,
): Promise<void> {
  if (!identity.client) return;
  const { limit, windowMs, per } = LIMITS[action];
  const clientKey = clientLimitKey(identity.client);
  const now = Date.now();
  const recent = await tx.clientLimitHit.count({ where: { clientKey, action, at: { gt: new Date(now - windowMs) } } });
  if (recent >= limit) {
    const what = action === 'FOLLOW' ? 'follow sign-ups' : 'disputes';
    throw new GraphQLError(`At most ${limit} ${what} ${per} from one client; try again later`, {
      extensions: { code: 'CONFLICT', reason: 'RATE_LIMITED' },
    });
  }
  await tx.clientLimitHit.create({ data: { clientKey, action } });
  await tx.clientLimitHit.deleteMany({ where: { at: { lt: new Date(now - 86_400_000) } } });
}

function unavailable(): GraphQLError {
  return new GraphQLError('Following is not available right now; try again shortly', {
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  });
}

export const FOLLOW_INPUT = inputTable({
  targetKind: {
    field: (t) => t.field({ type: FollowTargetKind, required: true, description: 'What kind of thing.' }),
    schema: z.enum(['CONCERN', 'NEIGHBORHOOD', 'INITIATIVE']),
  },
  targetId: { field: (t) => t.id({ required: true, description: 'Its id.' }), schema: id },
  email: {
    field: (t) => t.string({ required: true, description: 'Email address (personal data: never shown to anyone).' }),
    schema: z.string().trim().toLowerCase().email('must be an email address').max(320),
  },
  language: {
    field: (t) => t.string({ required: false, description: 'Language of the emails: "en" (default) or "es".' }),
    schema: z.enum(['en', 'es'], { message: 'must be "en" or "es"' }).default('en'),
  },
  frequency: {
    field: (t) => t.field({ type: FollowFrequency, required: false, description: 'Default IMMEDIATE.' }),
    schema: z.enum(['IMMEDIATE', 'DAILY']).default('IMMEDIATE'),
  },
});
const followInput = FOLLOW_INPUT.schema;

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
    await countClientAction(tx, ctx.identity, 'FOLLOW');
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

type ChangeWithConcern = Prisma.ConcernStatusChangeGetPayload<{ include: { concern: true } }>;

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
    // A process that dies while sending leaves its job running; it is failed and retried once it has
    // run longer than any live send can (MAIL_JOB_EXPIRE_SECONDS, above the SMTP timeouts), found
    // by housekeeping every 30 s.
    maintenanceIntervalSeconds: 30,
    schedules: true,
    queues: {
      [FOLLOW_JOBS.confirmation]: { policy: 'standard', expireInSeconds: MAIL_JOB_EXPIRE_SECONDS },
      [FOLLOW_JOBS.concernChanged]: { policy: 'standard' },
      [FOLLOW_JOBS.followerMail]: { policy: 'short', expireInSeconds: MAIL_JOB_EXPIRE_SECONDS },
      [FOLLOW_JOBS.digest]: { policy: 'singleton' },
      [FOLLOW_JOBS.digestMail]: { policy: 'standard', expireInSeconds: MAIL_JOB_EXPIRE_SECONDS },
      [FOLLOW_JOBS.disputeNotice]: { policy: 'standard', expireInSeconds: MAIL_JOB_EXPIRE_SECONDS },
    },
  });
  return setUpOrStop(queue, async () => {
    await queue.schedule(FOLLOW_JOBS.digest, DIGEST_CRON, {}, { tz: DIGEST_TZ });

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

    // Jobs queued before events carried several changes name one.
    await queue.work<{ changeIds?: string[]; changeId?: string }>(FOLLOW_JOBS.concernChanged, async (job) => {
      const changeIds = job.data.changeIds ?? (job.data.changeId ? [job.data.changeId] : []);
      const changes = await prisma.concernStatusChange.findMany({
        where: { id: { in: changeIds } },
        include: { concern: true },
        orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
      });
      for (const change of changes) await translateNote(prisma, change);
      // One follower row per address (the oldest), and the public changes it is to hear about.
      const byEmail = new Map<string, { id: string; frequency: string; changeIds: string[] }>();
      for (const change of changes) {
        const concern = change.concern;
        if (!isPublicConcern(concern)) continue;
        const followers = await prisma.follower.findMany({
          where: {
            confirmedAt: { not: null },
            OR: [
              { targetKind: 'CONCERN', targetId: concern.id },
              ...(concern.neighborhoodId
                ? [{ targetKind: 'NEIGHBORHOOD' as const, targetId: concern.neighborhoodId }]
                : []),
            ],
          },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          select: { id: true, email: true, frequency: true },
        });
        for (const f of followers) {
          const entry = byEmail.get(f.email) ?? { id: f.id, frequency: f.frequency, changeIds: [] };
          byEmail.set(f.email, entry);
          if (!entry.changeIds.includes(change.id)) entry.changeIds.push(change.id);
        }
      }
      const daily = [...byEmail.values()].filter((f) => f.frequency === 'DAILY');
      if (daily.length > 0) {
        await prisma.followerDigestItem.createMany({
          data: daily.flatMap((f) => f.changeIds.map((changeId) => ({ followerId: f.id, changeId }))),
          skipDuplicates: true,
        });
      }
      for (const f of byEmail.values()) {
        if (f.frequency !== 'IMMEDIATE') continue;
        await queue.send(
          FOLLOW_JOBS.followerMail,
          { followerId: f.id, changeIds: f.changeIds },
          { singletonKey: `${f.id}:${f.changeIds.length === 1 ? f.changeIds[0] : job.id}` },
        );
      }
    });

    await queue.work<{ followerId: string; changeIds?: string[]; changeId?: string }>(
      FOLLOW_JOBS.followerMail,
      async (job) => {
        const follower = await prisma.follower.findUnique({ where: { id: job.data.followerId } });
        if (!follower?.confirmedAt) return;
        const changeIds = job.data.changeIds ?? (job.data.changeId ? [job.data.changeId] : []);
        const changes = await prisma.concernStatusChange.findMany({
          where: { id: { in: changeIds } },
          include: { concern: true },
          orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
        });
        if (changes.length === 0) return;
        const language = follower.language === 'es' ? 'es' : 'en';
        const unsubscribeUrl = linkUrl('unsubscribe', await signLinkToken(prisma, 'unsubscribe', follower.id));
        const updates = await Promise.all(changes.map((c) => mailUpdate(prisma, follower.id, c, language)));
        const [only] = updates;
        await mailer.send(
          only && updates.length === 1
            ? statusMail(follower.email, language, only, only.note, unsubscribeUrl, only.disputeUrl)
            : updatesMail(follower.email, language, 'group', updates, unsubscribeUrl),
        );
      },
    );

    await queue.work(FOLLOW_JOBS.digest, async () => {
      const waiting = await prisma.followerDigestItem.findMany({
        where: { digestId: null },
        distinct: ['followerId'],
        select: { followerId: true },
      });
      for (const { followerId } of waiting) {
        // The items move into the digest in the same transaction that queues its mail: a digest job run
        // twice finds nothing left, and a digest is mailed by exactly one job.
        await prisma.$transaction(async (tx) => {
          const digest = await tx.followerDigest.create({ data: { followerId } });
          const moved = await tx.followerDigestItem.updateMany({
            where: { followerId, digestId: null },
            data: { digestId: digest.id },
          });
          if (moved.count === 0) {
            await tx.followerDigest.delete({ where: { id: digest.id } });
            return;
          }
          await queue.send(FOLLOW_JOBS.digestMail, { digestId: digest.id }, { db: transactionExecutor(tx) });
        });
      }
    });

    await queue.work<{ digestId: string }>(FOLLOW_JOBS.digestMail, async (job) => {
      const digest = await prisma.followerDigest.findUnique({
        where: { id: job.data.digestId },
        include: { follower: true, items: true },
      });
      if (!digest || digest.sentAt || !digest.follower.confirmedAt) return;
      const follower = digest.follower;
      const changes = await prisma.concernStatusChange.findMany({
        where: { id: { in: digest.items.map((i) => i.changeId) } },
        include: { concern: true },
        orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
      });
      const visible = changes.filter((c) => isPublicConcern(c.concern));
      if (visible.length > 0) {
        const language = follower.language === 'es' ? 'es' : 'en';
        const unsubscribeUrl = linkUrl('unsubscribe', await signLinkToken(prisma, 'unsubscribe', follower.id));
        const updates = await Promise.all(visible.map((c) => mailUpdate(prisma, follower.id, c, language)));
        await mailer.send(updatesMail(follower.email, language, 'digest', updates, unsubscribeUrl));
      }
      await prisma.followerDigest.update({ where: { id: digest.id }, data: { sentAt: new Date() } });
    });

    await queue.work<{ disputeId: string }>(FOLLOW_JOBS.disputeNotice, async (job) => {
      const to = process.env.DISPUTE_NOTIFY_EMAIL;
      if (!to) return;
      const dispute = await prisma.concernDispute.findUnique({
        where: { id: job.data.disputeId },
        include: { concern: true },
      });
      if (!dispute) return;
      await mailer.send(disputeStaffMail(to, dispute.concern, dispute));
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
  });
}

/** Without a staff translation, apertium's is stored, labelled as machine translation. */
async function translateNote(prisma: EngagementPrisma, change: ChangeWithConcern): Promise<void> {
  if (!change.publicNote || change.publicNoteTranslation) return;
  const [translated] = await translate(
    [change.publicNote],
    change.publicNoteLanguage === 'es' ? 'es' : 'en',
    otherLanguage(change.publicNoteLanguage),
  );
  if (!translated) return;
  await prisma.concernStatusChange.updateMany({
    where: { id: change.id, publicNoteTranslation: null },
    data: { publicNoteTranslation: translated, publicNoteTranslationMachine: true },
  });
  change.publicNoteTranslation = translated;
  change.publicNoteTranslationMachine = true;
}

/** One change as a follower reads it; while the concern is ADDRESSED, with a dispute link for them. */
async function mailUpdate(
  prisma: EngagementPrisma,
  followerId: string,
  change: ChangeWithConcern,
  language: MailLanguage,
): Promise<MailUpdate> {
  const disputable = change.toStatus === 'ADDRESSED' && change.concern.status === 'ADDRESSED';
  return {
    summary: change.concern.summary,
    status: change.toStatus,
    note: noteIn(change, language),
    changedAt: change.changedAt,
    disputeUrl: disputable
      ? `${linkUrl('dispute', await signLinkToken(prisma, 'dispute', followerId, change.concern.id))}&lang=${language}`
      : null,
  };
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
