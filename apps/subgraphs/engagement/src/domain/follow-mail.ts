import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import nodemailer from 'nodemailer';
import type { EngagementPrisma } from '../db.ts';

/**
 * Follower mail: signed links (confirm, unsubscribe, dispute), the bilingual messages, and the transport
 * (SMTP_URL through nodemailer; in development without one, files under <data>/mail/).
 */

export type MailLanguage = 'en' | 'es';
export type LinkAction = 'confirm' | 'unsubscribe' | 'dispute';

export function publicBaseUrl(): string {
  if (process.env.PUBLIC_BASE_URL) return process.env.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const gateway = process.env.CIVIC_GATEWAY_URL;
  return gateway ? new URL(gateway).origin : 'http://127.0.0.1:4000';
}

let keyPromise: Promise<Buffer> | undefined;

/** From CIVIC_GATEWAY_SECRET; without one, a random key kept in the database so links outlive a restart. */
function tokenKey(prisma: EngagementPrisma): Promise<Buffer> {
  const secret = process.env.CIVIC_GATEWAY_SECRET;
  if (secret) return Promise.resolve(createHmac('sha256', secret).update('civic-graph follow link key v1').digest());
  keyPromise ??= (async () => {
    await prisma.$executeRawUnsafe(
      'CREATE TABLE IF NOT EXISTS "_civic_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)',
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "_civic_meta" ("key", "value") VALUES ('follow_link_key', $1) ON CONFLICT ("key") DO NOTHING`,
      randomBytes(32).toString('base64url'),
    );
    const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
      `SELECT "value" FROM "_civic_meta" WHERE "key" = 'follow_link_key'`,
    );
    return Buffer.from(rows[0]?.value ?? '', 'base64url');
  })();
  keyPromise.catch(() => {
    keyPromise = undefined;
  });
  return keyPromise;
}

function mac(key: Buffer, action: LinkAction, subject: string): string {
  return createHmac('sha256', key).update(`follow\n${action}\n${subject}`).digest('base64url');
}

const TOKEN_KINDS: Record<LinkAction, string> = { confirm: 'c', unsubscribe: 'u', dispute: 'd' };

/**
 * `<kind>.<followerId>.<hmac>`; a dispute link also names the concern it is for:
 * `d.<followerId>.<concernId>.<hmac>` (ids are uuids, without dots).
 */
export async function signLinkToken(
  prisma: EngagementPrisma,
  action: LinkAction,
  followerId: string,
  concernId?: string,
): Promise<string> {
  const subject = concernId ? `${followerId}.${concernId}` : followerId;
  return `${TOKEN_KINDS[action]}.${subject}.${mac(await tokenKey(prisma), action, subject)}`;
}

/** The follower a link names, or null when the token was not issued by us for this action. */
export async function verifyLinkToken(
  prisma: EngagementPrisma,
  action: 'confirm' | 'unsubscribe',
  token: string,
): Promise<string | null> {
  const [kind, followerId, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !followerId || !signature || kind !== TOKEN_KINDS[action]) return null;
  return (await signatureMatches(prisma, action, followerId, signature)) ? followerId : null;
}

/** The follower and concern a dispute link names, or null when we did not issue it. */
export async function verifyDisputeToken(
  prisma: EngagementPrisma,
  token: string,
): Promise<{ followerId: string; concernId: string } | null> {
  const [kind, followerId, concernId, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !followerId || !concernId || !signature || kind !== TOKEN_KINDS.dispute) return null;
  return (await signatureMatches(prisma, 'dispute', `${followerId}.${concernId}`, signature))
    ? { followerId, concernId }
    : null;
}

async function signatureMatches(
  prisma: EngagementPrisma,
  action: LinkAction,
  subject: string,
  signature: string,
): Promise<boolean> {
  const expected = Buffer.from(mac(await tokenKey(prisma), action, subject));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function linkUrl(action: LinkAction, token: string): string {
  return `${publicBaseUrl()}/follow/${action}?token=${encodeURIComponent(token)}`;
}

const STATUS_LABELS: Record<string, Record<MailLanguage, string>> = {
  NEW: { en: 'New', es: 'Nueva' },
  UNDER_REVIEW: { en: 'Under review', es: 'En revisión' },
  ALIGNED: { en: 'Aligned', es: 'Alineada' },
  IN_PROGRESS: { en: 'In progress', es: 'En curso' },
  ADDRESSED: { en: 'Addressed', es: 'Atendida' },
  NOT_FEASIBLE: { en: 'Not feasible', es: 'No viable' },
};

export function statusLabel(status: string, language: MailLanguage): string {
  return STATUS_LABELS[status]?.[language] ?? status;
}

const TARGET_NAMES: Record<string, Record<MailLanguage, string>> = {
  CONCERN: { en: 'a concern', es: 'una inquietud' },
  NEIGHBORHOOD: { en: 'a neighborhood', es: 'un vecindario' },
  INITIATIVE: { en: 'an initiative', es: 'una iniciativa' },
};

export interface Mail {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

export function confirmationMail(
  to: string,
  language: MailLanguage,
  targetKind: string,
  targetTitle: string,
  confirmUrl: string,
): Mail {
  const what = TARGET_NAMES[targetKind]?.[language] ?? targetKind;
  return language === 'es'
    ? {
        to,
        subject: `Confirme que desea seguir ${what}: ${targetTitle}`,
        text: `Alguien (esperamos que usted) pidió recibir correos cuando la ciudad responda sobre ${what}: «${targetTitle}».\n\nPara confirmar, abra este enlace:\n${confirmUrl}\n\nSi no lo pidió, ignore este mensaje: no le escribiremos de nuevo.\n`,
      }
    : {
        to,
        subject: `Confirm you want to follow ${what}: ${targetTitle}`,
        text: `Someone (we hope you) asked to be emailed when the city responds about ${what}: "${targetTitle}".\n\nTo confirm, open this link:\n${confirmUrl}\n\nIf you did not ask for this, ignore this message: we will not write again.\n`,
      };
}

export interface MailUpdate {
  summary: string;
  status: string;
  note: { text: string | null; machineTranslated: boolean };
  changedAt: Date;
  /** "Not fixed? Tell us": a dispute link, offered while the concern is ADDRESSED. */
  disputeUrl?: string | null;
}

function noteLines(language: MailLanguage, note: MailUpdate['note']): string {
  if (!note.text) return '';
  return language === 'es'
    ? `\nRespuesta de la ciudad${note.machineTranslated ? ' (traducción automática)' : ''}:\n${note.text}\n`
    : `\nThe city’s response${note.machineTranslated ? ' (machine translation)' : ''}:\n${note.text}\n`;
}

function disputeLines(language: MailLanguage, disputeUrl: string | null | undefined): string {
  if (!disputeUrl) return '';
  return language === 'es'
    ? `\n¿No está resuelto? Díganoslo:\n${disputeUrl}\n`
    : `\nNot fixed? Tell us:\n${disputeUrl}\n`;
}

function unsubscribeLines(language: MailLanguage, unsubscribeUrl: string): string {
  return language === 'es'
    ? `\nPara dejar de recibir estos correos (su dirección se borrará):\n${unsubscribeUrl}\n`
    : `\nTo stop these emails (your address will be deleted):\n${unsubscribeUrl}\n`;
}

function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

export function statusMail(
  to: string,
  language: MailLanguage,
  concern: { summary: string; status: string },
  note: { text: string | null; machineTranslated: boolean },
  unsubscribeUrl: string,
  disputeUrl?: string | null,
): Mail {
  const status = statusLabel(concern.status, language);
  const body =
    language === 'es'
      ? `La inquietud «${concern.summary}» ahora está: ${status}.\n${noteLines(language, note)}${disputeLines(language, disputeUrl)}${unsubscribeLines(language, unsubscribeUrl)}`
      : `The concern "${concern.summary}" is now: ${status}.\n${noteLines(language, note)}${disputeLines(language, disputeUrl)}${unsubscribeLines(language, unsubscribeUrl)}`;
  return {
    to,
    subject:
      language === 'es' ? `Novedades: «${concern.summary}» — ${status}` : `Update: "${concern.summary}" — ${status}`,
    text: body,
    headers: unsubscribeHeaders(unsubscribeUrl),
  };
}

function updateEntry(language: MailLanguage, update: MailUpdate): string {
  const day = update.changedAt.toISOString().slice(0, 10);
  const status = statusLabel(update.status, language);
  const head =
    language === 'es' ? `• «${update.summary}»: ${status} (${day})` : `• "${update.summary}": ${status} (${day})`;
  return `${head}\n${noteLines(language, update.note)}${disputeLines(language, update.disputeUrl)}`;
}

/** Several updates in one message: the daily digest, or one answer given to a citywide group. */
export function updatesMail(
  to: string,
  language: MailLanguage,
  kind: 'digest' | 'group',
  updates: MailUpdate[],
  unsubscribeUrl: string,
): Mail {
  const count = updates.length;
  const intro =
    kind === 'digest'
      ? language === 'es'
        ? `Novedades desde su último resumen diario (${count}):`
        : `What changed since your last daily digest (${count}):`
      : language === 'es'
        ? `La ciudad respondió a la vez sobre ${count} inquietudes que usted sigue:`
        : `The city answered ${count} concerns you follow at once:`;
  const subject =
    kind === 'digest'
      ? language === 'es'
        ? `Resumen diario: ${count} ${count === 1 ? 'novedad' : 'novedades'}`
        : `Daily digest: ${count} ${count === 1 ? 'update' : 'updates'}`
      : language === 'es'
        ? `Novedades: ${count} inquietudes — ${statusLabel(updates[0]?.status ?? '', language)}`
        : `Update: ${count} concerns — ${statusLabel(updates[0]?.status ?? '', language)}`;
  const entries = updates.map((u) => updateEntry(language, u)).join('\n');
  return {
    to,
    subject,
    text: `${intro}\n\n${entries}${unsubscribeLines(language, unsubscribeUrl)}`,
    headers: unsubscribeHeaders(unsubscribeUrl),
  };
}

/** To the staff address (DISPUTE_NOTIFY_EMAIL): a concern was reopened by a resident. Both languages. */
export function disputeStaffMail(
  to: string,
  concern: { id: string; summary: string },
  dispute: { note: string; language: string },
): Mail {
  return {
    to,
    subject: `Concern reopened by a resident / Inquietud reabierta por un residente: ${concern.summary}`,
    text: `A follower says this ADDRESSED concern is not fixed; it is back UNDER_REVIEW. Their note (${dispute.language}) waits for moderation (moderateDispute) before it is public.\nUn seguidor dice que esta inquietud ATENDIDA no está resuelta; volvió a EN REVISIÓN. Su nota espera moderación antes de publicarse.\n\n«${concern.summary}» (${concern.id})\n\n${dispute.note}\n`,
  };
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** One send gives up well within a mail job's expiry, so an expired job is one whose process died. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
export const MAIL_JOB_EXPIRE_SECONDS = 60;

/** SMTP_URL when set; otherwise, outside production, one .eml file per message under <data>/mail/. */
export function createMailer(): Mailer {
  const from = process.env.MAIL_FROM ?? 'Civic Graph <no-reply@civic-graph.invalid>';
  const smtpUrl = process.env.SMTP_URL;
  if (smtpUrl) {
    const transport = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
    return {
      async send(mail) {
        await transport.sendMail({ from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = join(process.env.CIVIC_DATA_DIR ?? join(findWorkspaceRoot(), '.data'), 'mail');
  return {
    async send(mail) {
      if (process.env.NODE_ENV === 'production') throw new Error('SMTP_URL is not set: follower mail cannot be sent');
      const info = await transport.sendMail({ from, ...mail });
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(dir, name), info.message as Buffer);
    },
    close: () => transport.close(),
  };
}
