import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import nodemailer from 'nodemailer';
import type { EngagementPrisma } from '../db.ts';

/**
 * Follower mail: signed links (confirm, unsubscribe), the bilingual messages, and the transport
 * (SMTP_URL through nodemailer; in development without one, files under <data>/mail/).
 */

export type MailLanguage = 'en' | 'es';
export type LinkAction = 'confirm' | 'unsubscribe';

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

function mac(key: Buffer, action: LinkAction, followerId: string): string {
  return createHmac('sha256', key).update(`follow\n${action}\n${followerId}`).digest('base64url');
}

export async function signLinkToken(prisma: EngagementPrisma, action: LinkAction, followerId: string): Promise<string> {
  return `${action === 'confirm' ? 'c' : 'u'}.${followerId}.${mac(await tokenKey(prisma), action, followerId)}`;
}

/** The follower a link names, or null when the token was not issued by us for this action. */
export async function verifyLinkToken(
  prisma: EngagementPrisma,
  action: LinkAction,
  token: string,
): Promise<string | null> {
  const [kind, followerId, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !followerId || !signature || kind !== (action === 'confirm' ? 'c' : 'u')) return null;
  const expected = Buffer.from(mac(await tokenKey(prisma), action, followerId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? followerId : null;
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

export function statusMail(
  to: string,
  language: MailLanguage,
  concern: { summary: string; status: string },
  note: { text: string | null; machineTranslated: boolean },
  unsubscribeUrl: string,
): Mail {
  const status = statusLabel(concern.status, language);
  const noteText = note.text
    ? language === 'es'
      ? `\nRespuesta de la ciudad${note.machineTranslated ? ' (traducción automática)' : ''}:\n${note.text}\n`
      : `\nThe city’s response${note.machineTranslated ? ' (machine translation)' : ''}:\n${note.text}\n`
    : '';
  const body =
    language === 'es'
      ? `La inquietud «${concern.summary}» ahora está: ${status}.\n${noteText}\nPara dejar de recibir estos correos (su dirección se borrará):\n${unsubscribeUrl}\n`
      : `The concern "${concern.summary}" is now: ${status}.\n${noteText}\nTo stop these emails (your address will be deleted):\n${unsubscribeUrl}\n`;
  return {
    to,
    subject:
      language === 'es' ? `Novedades: «${concern.summary}» — ${status}` : `Update: "${concern.summary}" — ${status}`,
    text: body,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** SMTP_URL when set; otherwise, outside production, one .eml file per message under <data>/mail/. */
export function createMailer(): Mailer {
  const from = process.env.MAIL_FROM ?? 'Civic Graph <no-reply@civic-graph.invalid>';
  const smtpUrl = process.env.SMTP_URL;
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
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
