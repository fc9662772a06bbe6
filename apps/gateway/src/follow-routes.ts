import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { IncomingRequest, RouteHandler } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import type { GatewayContext } from './gateway.ts';
import { PublicApiError, publicExecutor } from './open-data.ts';

/**
 * The links in follower emails, as plain HTML pages that need no JavaScript. GET /follow/confirm
 * confirms. GET /follow/unsubscribe shows a one-button form (mail scanners fetch links, and a fetch
 * must not delete a follower); POST /follow/unsubscribe, the form or a mail client's RFC 8058
 * one-click `List-Unsubscribe=One-Click`, deletes the address. GET /follow/dispute shows the "Not
 * fixed? Tell us" form of a status email (a note, no JavaScript); POST /follow/dispute files it with
 * engagement's `disputeConcern`. Tokens are engagement's signed ones.
 */

type Outcome = 'CONFIRMED' | 'ALREADY_CONFIRMED' | 'UNSUBSCRIBED' | 'INVALID';
type DisputePage =
  | 'DISPUTE_ASK'
  | 'DISPUTE_RECEIVED'
  | 'DISPUTE_NOT_ADDRESSED'
  | 'DISPUTE_RATE_LIMITED'
  | 'DISPUTE_EMPTY';
type Lang = 'en' | 'es';

const TEXT: Record<Outcome | DisputePage | 'ASK' | 'ERROR', Record<Lang, { title: string; body: string }>> = {
  DISPUTE_ASK: {
    en: {
      title: 'Not fixed?',
      body: 'Tell the city what is still wrong. The concern goes back under review at once; your note is published after a staff member reads it. Your address is not shown.',
    },
    es: {
      title: '¿No está resuelto?',
      body: 'Cuéntele a la ciudad qué sigue mal. La inquietud vuelve a revisión de inmediato; su nota se publica después de que alguien del personal la lea. Su dirección no se muestra.',
    },
  },
  DISPUTE_RECEIVED: {
    en: {
      title: 'Thank you',
      body: 'The concern is under review again and staff have been told. Your note will be public once it is accepted.',
    },
    es: {
      title: 'Gracias',
      body: 'La inquietud está de nuevo en revisión y el personal fue avisado. Su nota será pública cuando se acepte.',
    },
  },
  DISPUTE_NOT_ADDRESSED: {
    en: {
      title: 'Already reopened',
      body: 'This concern is no longer marked as addressed (someone may have told us already), so there is nothing to dispute.',
    },
    es: {
      title: 'Ya reabierta',
      body: 'Esta inquietud ya no figura como atendida (quizás alguien ya nos avisó), así que no hay nada que disputar.',
    },
  },
  DISPUTE_RATE_LIMITED: {
    en: {
      title: 'Too many today',
      body: 'This address has sent as many disputes as it can today. Please try tomorrow.',
    },
    es: {
      title: 'Demasiadas hoy',
      body: 'Esta dirección ya envió todas las disputas posibles por hoy. Inténtelo mañana.',
    },
  },
  DISPUTE_EMPTY: {
    en: { title: 'Please write a note', body: 'Say in a few words what is still wrong (at most 1,000 characters).' },
    es: { title: 'Escriba una nota', body: 'Diga en pocas palabras qué sigue mal (como máximo 1.000 caracteres).' },
  },
  CONFIRMED: {
    en: { title: 'You are following', body: 'Thank you: we will email you when the city responds.' },
    es: { title: 'Ya está siguiendo', body: 'Gracias: le escribiremos cuando la ciudad responda.' },
  },
  ALREADY_CONFIRMED: {
    en: { title: 'Already confirmed', body: 'This address was already following; nothing changed.' },
    es: { title: 'Ya confirmado', body: 'Esta dirección ya estaba siguiendo; no cambió nada.' },
  },
  UNSUBSCRIBED: {
    en: { title: 'Unsubscribed', body: 'Your address was deleted. We will not email you again about this.' },
    es: { title: 'Suscripción cancelada', body: 'Su dirección fue borrada. No le escribiremos más sobre esto.' },
  },
  INVALID: {
    en: { title: 'Link not valid', body: 'This link is not valid, or the address it was for has been deleted.' },
    es: { title: 'Enlace no válido', body: 'Este enlace no es válido, o la dirección a la que iba ya fue borrada.' },
  },
  ASK: {
    en: { title: 'Stop these emails?', body: 'Press the button to delete your address.' },
    es: { title: '¿Dejar de recibir estos correos?', body: 'Pulse el botón para borrar su dirección.' },
  },
  ERROR: {
    en: { title: 'Something went wrong', body: 'Please try the link again in a few minutes.' },
    es: { title: 'Algo salió mal', body: 'Vuelva a abrir el enlace en unos minutos.' },
  },
};

const BUTTON: Record<Lang, string> = { en: 'Unsubscribe', es: 'Cancelar la suscripción' };
const DISPUTE_FORM: Record<Lang, { label: string; button: string }> = {
  en: { label: 'What is still wrong?', button: 'Send' },
  es: { label: '¿Qué sigue mal?', button: 'Enviar' },
};
const DISPUTE_NOTE_LIMIT = 1_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type FormFor = (lang: Lang) => string;

function page(
  res: ServerResponse,
  status: number,
  key: keyof typeof TEXT,
  languages: Lang[],
  form?: string | FormFor,
): void {
  const sections = languages
    .map((lang) => {
      const t = TEXT[key][lang];
      const button =
        typeof form === 'function'
          ? form(lang)
          : form
            ? `<form method="post" action="${escapeHtml(form)}"><button type="submit">${BUTTON[lang]}</button></form>`
            : '';
      return `<section lang="${lang}"><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.body)}</p>${button}</section>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="${languages[0]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(TEXT[key][languages[0] ?? 'en'].title)} — Civic Graph</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}textarea{width:100%;font:inherit}label{display:block;margin:.5rem 0}</style>
</head><body>
${sections}
</body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  });
  res.end(html);
}

function disputeForm(token: string): FormFor {
  const action = `/follow/dispute?token=${encodeURIComponent(token)}`;
  return (lang) =>
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="language" value="${lang}">` +
    `<label>${escapeHtml(DISPUTE_FORM[lang].label)}<textarea name="note" rows="5" maxlength="${DISPUTE_NOTE_LIMIT}" required></textarea></label>` +
    `<button type="submit">${escapeHtml(DISPUTE_FORM[lang].button)}</button></form>`;
}

function languagesFor(req: IncomingRequest, known: string | null | undefined): Lang[] {
  const asked = new URLSearchParams(req.search).get('lang');
  const lang = known ?? asked;
  if (lang === 'es') return ['es', 'en'];
  if (lang === 'en') return ['en', 'es'];
  return (req.header('accept-language') ?? '').toLowerCase().startsWith('es') ? ['es', 'en'] : ['en', 'es'];
}

export function followRoutes(options: {
  apollo: ApolloServer<GatewayContext>;
  logger: Logger;
}): Record<string, RouteHandler> {
  let sequence = 0;
  const execute = publicExecutor(options.apollo, () => `follow-${Date.now()}-${++sequence}`);
  const run = async (
    req: IncomingRequest,
    res: ServerResponse,
    field: 'confirmFollow' | 'unsubscribe',
  ): Promise<void> => {
    const token = new URLSearchParams(req.search).get('token') ?? '';
    if (!token || token.length > 500) return page(res, 400, 'INVALID', languagesFor(req, null));
    try {
      const data = await execute<Record<string, { outcome: Outcome; language: string | null }>>(
        `mutation ($t: String!) { result: ${field}(token: $t) { outcome language } }`,
        { t: token },
      );
      const result = data.result as { outcome: Outcome; language: string | null };
      page(res, result.outcome === 'INVALID' ? 400 : 200, result.outcome, languagesFor(req, result.language));
    } catch (error) {
      options.logger.error('follow link failed', { error, field });
      page(res, 503, 'ERROR', languagesFor(req, null));
    }
  };
  return {
    '/follow/confirm': async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.writeHead(405, { allow: 'GET, POST' }).end();
        return;
      }
      await run(req, res, 'confirmFollow');
    },
    '/follow/dispute': async (req, res) => {
      const token = new URLSearchParams(req.search).get('token') ?? '';
      const languages = languagesFor(req, null);
      if (!token || token.length > 500) return page(res, 400, 'INVALID', languages);
      if (req.method === 'GET' || req.method === 'HEAD') {
        return page(res, 200, 'DISPUTE_ASK', languages, disputeForm(token));
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'GET, POST' }).end();
        return;
      }
      const form = new URLSearchParams(req.body.toString('utf8'));
      const note = (form.get('note') ?? '').trim();
      const language = form.get('language') === 'es' ? 'es' : 'en';
      const answerIn: Lang[] = language === 'es' ? ['es', 'en'] : ['en', 'es'];
      if (!note || note.length > DISPUTE_NOTE_LIMIT) {
        return page(res, 400, 'DISPUTE_EMPTY', answerIn, disputeForm(token));
      }
      try {
        await execute('mutation ($input: DisputeConcernInput!) { disputeConcern(input: $input) { disputeId } }', {
          input: { token, note, language },
        });
        page(res, 200, 'DISPUTE_RECEIVED', answerIn);
      } catch (error) {
        const reason = error instanceof PublicApiError ? disputeRefusal(error) : null;
        if (reason) return page(res, reason === 'INVALID' ? 400 : 409, reason, answerIn);
        options.logger.error('dispute link failed', { error });
        page(res, 503, 'ERROR', answerIn);
      }
    },
    '/follow/unsubscribe': async (req, res) => {
      if (req.method === 'GET' || req.method === 'HEAD') {
        const token = new URLSearchParams(req.search).get('token') ?? '';
        if (!token) return page(res, 400, 'INVALID', languagesFor(req, null));
        return page(res, 200, 'ASK', languagesFor(req, null), `/follow/unsubscribe?token=${encodeURIComponent(token)}`);
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'GET, POST' }).end();
        return;
      }
      await run(req, res, 'unsubscribe');
    },
  };
}

/** The page for a refusal the resident can understand; null for anything else (a 503 page). */
function disputeRefusal(error: PublicApiError): 'INVALID' | 'DISPUTE_NOT_ADDRESSED' | 'DISPUTE_RATE_LIMITED' | null {
  const [first] = error.errors;
  const code = first?.extensions?.code;
  const reason = first?.extensions?.reason;
  if (reason === 'RATE_LIMITED') return 'DISPUTE_RATE_LIMITED';
  if (code === 'FORBIDDEN' || code === 'NOT_FOUND') return 'INVALID';
  if (code === 'CONFLICT') return 'DISPUTE_NOT_ADDRESSED';
  return null;
}
