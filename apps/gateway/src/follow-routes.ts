import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { IncomingRequest, RouteHandler } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import type { GatewayContext } from './gateway.ts';
import { publicExecutor } from './open-data.ts';

/**
 * The links in follower emails, as plain HTML pages that need no JavaScript. GET /follow/confirm
 * confirms. GET /follow/unsubscribe shows a one-button form (mail scanners fetch links, and a fetch
 * must not delete a follower); POST /follow/unsubscribe, the form or a mail client's RFC 8058
 * one-click `List-Unsubscribe=One-Click`, deletes the address. Tokens are engagement's signed ones.
 */

type Outcome = 'CONFIRMED' | 'ALREADY_CONFIRMED' | 'UNSUBSCRIBED' | 'INVALID';
type Lang = 'en' | 'es';

const TEXT: Record<Outcome | 'ASK' | 'ERROR', Record<Lang, { title: string; body: string }>> = {
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, key: keyof typeof TEXT, languages: Lang[], form?: string): void {
  const sections = languages
    .map((lang) => {
      const t = TEXT[key][lang];
      const button = form
        ? `<form method="post" action="${escapeHtml(form)}"><button type="submit">${BUTTON[lang]}</button></form>`
        : '';
      return `<section lang="${lang}"><h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.body)}</p>${button}</section>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="${languages[0]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(TEXT[key][languages[0] ?? 'en'].title)} — Civic Graph</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style>
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
