import { readFileSync } from 'node:fs';
import { DATASETS, fileNames } from '@civic/open-data/render';
import { CONCERNS_HEADER, type PrivacyFixture, seedPrivacyFixture } from '@civic/open-data/testing';
import type { Stack } from '@civic/test-stack/stack';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ttlCache } from '../src/open-data.ts';
import { bearer, gatewayBase, productionStack } from './helpers.ts';

let stack: Stack;
let base: string;
let fixture: PrivacyFixture;
const bodies = new Map<string, string>();

const allNames = ['index.html', 'data.json', ...DATASETS.flatMap((d) => Object.values(fileNames(d)).filter(Boolean))];

let whileDown: { status: number; retryAfter: string | null; text: string };

beforeAll(async () => {
  // It stops initiatives: the subgraphs are its own.
  stack = await productionStack({ seed: 'demo', shareSubgraphs: undefined });
  base = gatewayBase(stack);
  fixture = await seedPrivacyFixture(stack, 'gw');
  // Asked first while a subgraph is down (a failed build is not cached), then with all of them up.
  await stack.stopSubgraph('initiatives');
  try {
    const response = await fetch(`${base}/open-data/concerns.csv`);
    whileDown = {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      text: await response.text(),
    };
  } finally {
    await stack.startSubgraph('initiatives');
  }
  for (const name of allNames) {
    const response = await fetch(`${base}/open-data/${name}`);
    expect(response.status, name as string).toBe(200);
    bodies.set(name as string, await response.text());
  }
}, 400_000);

afterAll(async () => {
  await stack?.destroy();
});

describe('/open-data/', () => {
  test('serves every published concern and nothing hidden or personal, in every file', () => {
    const ids = (parse(bodies.get('concerns.csv') as string, { columns: true }) as { id: string }[]).map((r) => r.id);
    expect(new Set(ids)).toEqual(fixture.publicIds);
    const [header] = parse(bodies.get('concerns.csv') as string, { to_line: 1 }) as string[][];
    expect(header).toEqual(CONCERNS_HEADER);
    for (const [name, body] of bodies) {
      for (const id of fixture.hiddenIds) expect(body.includes(id), `${id} in ${name}`).toBe(false);
      for (const text of fixture.contactStrings) expect(body.includes(text), `${text} in ${name}`).toBe(false);
      expect(body.includes(fixture.draftConversationId), name).toBe(false);
    }
  });

  test('data.json is a DCAT-US v1.1 catalog whose links are this gateway’s files, each with its content type', async () => {
    const schemaPath = new URL('../../../packages/open-data/test/dcat-us-v1.1.schema.json', import.meta.url);
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const catalog = JSON.parse(bodies.get('data.json') as string);
    expect(validate(catalog), JSON.stringify(validate.errors)).toBe(true);
    const distributions = (catalog.dataset as { distribution: { downloadURL: string; mediaType: string }[] }[]).flatMap(
      (d) => d.distribution,
    );
    expect(distributions.length).toBeGreaterThanOrEqual(DATASETS.length * 2 + 3);
    for (const d of distributions) {
      expect(d.downloadURL.startsWith(`${base}/open-data/`)).toBe(true);
      const response = await fetch(d.downloadURL, { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')?.split(';')[0]).toBe(d.mediaType);
    }
  });

  test('the index lists the files; answers are open to any origin and cacheable', async () => {
    const index = await fetch(`${base}/open-data/`, { headers: { origin: 'https://elsewhere.example' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('access-control-allow-origin')).toBe('*');
    const html = await index.text();
    for (const name of ['data.json', 'concerns.csv', 'concerns.geojson', 'measure-observations.csv']) {
      expect(html).toContain(`href="${name}"`);
    }
    const csv = await fetch(`${base}/open-data/concerns.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('cache-control')).toBe('public, max-age=300');
    expect(Date.parse(csv.headers.get('last-modified') ?? '')).not.toBeNaN();
    const etag = csv.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${base}/open-data/concerns.csv`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await fetch(`${base}/open-data/concerns.geojson`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(Number(head.headers.get('content-length'))).toBe(
      Buffer.byteLength(bodies.get('concerns.geojson') as string),
    );
    const preflight = await fetch(`${base}/open-data/data.json`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
  });

  test('a staff token changes nothing: open data is always the public view', async () => {
    const asStaff = await fetch(`${base}/open-data/concerns.csv`, { headers: bearer(fixture.staffToken) });
    expect(asStaff.status).toBe(200);
    expect(await asStaff.text()).toBe(bodies.get('concerns.csv'));
  });

  test('accountability.csv: response times citywide, by equity priority, neighborhood and language, as the concerns and conversations files give them; listed in data.json', () => {
    type Row = Record<string, string>;
    const rows = parse(bodies.get('accountability.csv') as string, { columns: true }) as Row[];
    const concerns = JSON.parse(bodies.get('concerns.json') as string) as {
      id: string;
      neighborhood_id: string | null;
      language: string;
      conversation_id: string | null;
      created_at: string;
      status_history: { status: string; changed_at: string }[];
    }[];
    const heldOn = new Map(
      (JSON.parse(bodies.get('conversations.json') as string) as { id: string; held_on: string }[]).map((c) => [
        c.id,
        Date.parse(c.held_on),
      ]),
    );
    const priority = new Set(
      (JSON.parse(bodies.get('neighborhoods.json') as string) as { id: string; equity_priority: boolean }[])
        .filter((n) => n.equity_priority)
        .map((n) => n.id),
    );
    const DAY = 86_400_000;
    const readAt = Date.parse(
      (
        JSON.parse(bodies.get('data.json') as string) as { dataset: { identifier: string; modified: string }[] }
      ).dataset.find((d) => d.identifier.endsWith('accountability'))?.modified ?? '',
    );
    const median = (values: number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      const mid = Math.floor(sorted.length / 2);
      if (sorted.length === 0) return '';
      return String(sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
    };
    const expected = (list: typeof concerns) => {
      const timed = list.map((c) => {
        const heard = (c.conversation_id ? heldOn.get(c.conversation_id) : undefined) ?? Date.parse(c.created_at);
        const first = (status: (s: string) => boolean) => {
          const times = c.status_history.filter((s) => status(s.status)).map((s) => Date.parse(s.changed_at));
          return times.length ? Math.max(0, (Math.min(...times) - heard) / DAY) : null;
        };
        return {
          due: heard <= readAt - 30 * DAY,
          response: first((s) => s !== 'NEW'),
          done: first((s) => s === 'ADDRESSED'),
        };
      });
      const due = timed.filter((x) => x.due);
      return {
        concerns: String(list.length),
        answered: String(timed.filter((x) => x.response !== null).length),
        addressed: String(timed.filter((x) => x.done !== null).length),
        median_days_to_first_response: median(timed.flatMap((x) => (x.response === null ? [] : [x.response]))),
        median_days_to_addressed: median(timed.flatMap((x) => (x.done === null ? [] : [x.done]))),
        concerns_due_within_30_days: String(due.length),
        answered_within_30_days: String(due.filter((x) => x.response !== null && x.response <= 30).length),
      };
    };
    const close = (row: Row | undefined, wanted: ReturnType<typeof expected>) => {
      expect(row).toBeDefined();
      for (const [name, value] of Object.entries(wanted)) {
        if (name.startsWith('median') && value !== '') expect(Number(row?.[name]), name).toBeCloseTo(Number(value), 6);
        else expect(row?.[name], name).toBe(value);
      }
    };
    expect(rows[0]?.grouping).toBe('CITYWIDE');
    close(rows[0], expected(concerns));
    expect(Number(rows[0]?.concerns)).toBe(fixture.publicIds.size);
    const inPriority = (c: (typeof concerns)[number]) => c.neighborhood_id !== null && priority.has(c.neighborhood_id);
    close(
      rows.find((r) => r.grouping === 'EQUITY_PRIORITY' && r.equity_priority === 'true'),
      expected(concerns.filter(inPriority)),
    );
    close(
      rows.find((r) => r.grouping === 'EQUITY_PRIORITY' && r.equity_priority === 'false'),
      expected(concerns.filter((c) => !inPriority(c))),
    );
    const byPlace = rows.filter((r) => r.grouping === 'NEIGHBORHOOD');
    expect(byPlace.reduce((n, r) => n + Number(r.concerns), 0)).toBe(concerns.length);
    for (const row of byPlace) {
      close(row, expected(concerns.filter((c) => (c.neighborhood_id ?? '') === row.neighborhood_id)));
    }
    const english = rows.find((r) => r.grouping === 'LANGUAGE' && r.language === 'en');
    close(english, expected(concerns.filter((c) => c.language === 'en')));
    for (const row of rows) {
      const share = row.share_answered_within_30_days as string;
      if (row.concerns_due_within_30_days === '0') expect(share).toBe('');
      else
        expect(Number(share)).toBeCloseTo(
          Number(row.answered_within_30_days) / Number(row.concerns_due_within_30_days),
          9,
        );
    }
    const catalog = JSON.parse(bodies.get('data.json') as string) as {
      dataset: { title: string; keyword: string[]; distribution: { downloadURL: string; describedBy?: string }[] }[];
    };
    const entry = catalog.dataset.find((d) =>
      d.distribution.some((f) => f.downloadURL.endsWith('/accountability.csv')),
    );
    expect(entry?.title).toBe('Response times to residents’ concerns');
    expect(entry?.keyword).toContain('accountability');
  });

  test('read-only: other methods get 405, unknown files 404, as JSON with a code', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${base}/open-data/data.json`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(await response.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
    }
    for (const path of ['/open-data/nothing.csv', '/open-data/concerns.xml', '/open-data/%E0%A4%A', '/open-data/a/b']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      expect((await response.json()).error.code).toBe('NOT_FOUND');
    }
    const bare = await fetch(`${base}/open-data`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/open-data/');
  });

  test('when a subgraph is down: 503 with a code and no internals, never a partial file', () => {
    expect(whileDown.status).toBe(503);
    expect(whileDown.retryAfter).toBe('30');
    expect(JSON.parse(whileDown.text)).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    expect(whileDown.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|at \w+ \(|initiatives/);
  });
});

describe('/feeds/ (Atom)', () => {
  const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;
  const NOTE_EN = `Crews <b>inspected</b> the culvert & the drains ${Date.now()}`;
  const NOTE_ES = `Las cuadrillas revisaron la alcantarilla y los desagües ${Date.now()}`;
  const atom = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'entry' || name === 'link',
  });
  interface AtomLink {
    rel: string;
    href: string;
    type: string;
  }
  interface AtomEntry {
    id: string;
    title: { '#text': string };
    updated: string;
    link: AtomLink[];
    author: { name: string };
    content: { '#text': string; type: string };
  }
  interface AtomFeed {
    id: string;
    'xml:lang': string;
    title: { '#text': string };
    updated: string;
    link: AtomLink[];
    author: { name: string };
    entry?: AtomEntry[];
  }
  const feeds = new Map<string, string>();

  async function feed(path: string): Promise<{ response: Response; body: string; parsed: AtomFeed }> {
    const response = await fetch(`${base}${path}`);
    const body = await response.text();
    expect(response.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(body)).toBe(true);
    feeds.set(path, body);
    return { response, body, parsed: atom.parse(body).feed as AtomFeed };
  }

  /** What RFC 4287 requires of every feed and entry. */
  function expectValidAtom(parsed: AtomFeed, selfPath: string) {
    expect(parsed.id).toMatch(/^tag:durhamnc\.gov,2026:/);
    expect(parsed.title['#text'].length).toBeGreaterThan(0);
    expect(Date.parse(parsed.updated)).not.toBeNaN();
    expect(parsed.link.find((l) => l.rel === 'self')?.href).toBe(`${base}${selfPath}`);
    expect(parsed.link.find((l) => l.rel === 'alternate')?.href).toMatch(/^https?:\/\/.+\/#\//);
    expect(parsed.author.name).toMatch(/Durham/);
    for (const entry of parsed.entry ?? []) {
      expect(entry.id).toMatch(/^tag:durhamnc\.gov,2026:/);
      expect(entry.title['#text'].length).toBeGreaterThan(0);
      expect(Date.parse(entry.updated)).not.toBeNaN();
      expect(entry.content.type).toBe('text');
      expect(entry.link[0]?.href).toMatch(/\/#\//);
    }
  }

  beforeAll(async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(fixture.adminToken) },
      body: JSON.stringify({
        query: `mutation ($id: ID!, $note: String!, $es: String!) { changeConcernStatus(concernId: $id, status: UNDER_REVIEW,
          publicNote: $note, publicNoteLanguage: "en", publicNoteTranslation: $es) { id status } }`,
        variables: { id: fixture.visibleWithContact.id, note: NOTE_EN, es: NOTE_ES },
      }),
    });
    const result = await response.json();
    expect(result.errors).toBeUndefined();
  }, 60_000);

  test('a concern’s feed is valid Atom with the staff response, XML-escaped, in English', async () => {
    const path = `/feeds/concerns/${fixture.visibleWithContact.id}.atom`;
    const { body, parsed } = await feed(path);
    expectValidAtom(parsed, path);
    expect(parsed['xml:lang']).toBe('en');
    expect(body).toContain('&#60;b&#62;inspected&#60;/b&#62; the culvert &#38; the drains');
    const newest = parsed.entry?.[0] as AtomEntry;
    expect(newest.title['#text']).toMatch(/^Under review: /);
    expect(newest.content['#text']).toContain(
      NOTE_EN.replace('&', '&#38;').replace(/</g, '&#60;').replace(/>/g, '&#62;'),
    );
    expect(body).not.toContain(NOTE_ES);
    // The earlier NOT_FEASIBLE answer is there too.
    expect(parsed.entry?.map((e) => e.title['#text'])).toContainEqual(expect.stringMatching(/^Not feasible: /));
  });

  test('the Spanish feed (/feeds/es/… or ?lang=es) carries the Spanish note', async () => {
    const path = `/feeds/es/concerns/${fixture.visibleWithContact.id}.atom`;
    const { body, parsed } = await feed(path);
    expectValidAtom(parsed, path);
    expect(parsed['xml:lang']).toBe('es');
    expect(parsed.entry?.[0]?.title['#text']).toMatch(/^En revisión: /);
    expect(body).toContain(NOTE_ES);
    expect(body).not.toContain('inspected');
    const viaQuery = await feed(`/feeds/concerns/${fixture.visibleWithContact.id}.atom?lang=es`);
    expect(viaQuery.body).toBe(body);
  });

  test('a repeat with the ETag or the Last-Modified date is answered 304', async () => {
    const path = `/feeds/concerns/${fixture.visibleWithContact.id}.atom`;
    const { response } = await feed(path);
    const etag = response.headers.get('etag') as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const byTag = await fetch(`${base}${path}`, { headers: { 'if-none-match': etag } });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    const byDate = await fetch(`${base}${path}`, {
      headers: { 'if-modified-since': response.headers.get('last-modified') as string },
    });
    expect(byDate.status).toBe(304);
    const otherLanguage = await fetch(`${base}/feeds/es/concerns/${fixture.visibleWithContact.id}.atom`, {
      headers: { 'if-none-match': etag },
    });
    expect(otherLanguage.status).toBe(200);
  });

  test('neighborhood, initiative and citywide feeds hold the change; none has an address or a hidden concern', async () => {
    const concern = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ concern(id: "${fixture.visibleWithContact.id}") { neighborhoodId } }` }),
    }).then((r) => r.json());
    const neighborhoodId = concern.data.concern.neighborhoodId as string;
    for (const path of [`/feeds/neighborhoods/${neighborhoodId}.atom`, '/feeds/citywide.atom']) {
      const { body, parsed } = await feed(path);
      expectValidAtom(parsed, path);
      expect(body, path).toContain('the culvert &#38; the drains');
      for (const id of fixture.hiddenIds) expect(body.includes(id), `${id} in ${path}`).toBe(false);
    }
    const spanishCitywide = await feed('/feeds/es/citywide.atom');
    expect(spanishCitywide.body).toContain(NOTE_ES);
    const initiativePath = `/feeds/initiatives/${fixture.visibleWithContact.initiativeId}.atom`;
    const initiative = await feed(initiativePath);
    expectValidAtom(initiative.parsed, initiativePath);
    expect(initiative.parsed.title['#text']).toMatch(/^Initiative /);
    const spanishInitiative = await feed(`/feeds/es/initiatives/${fixture.visibleWithContact.initiativeId}.atom`);
    expect(spanishInitiative.parsed.title['#text']).toMatch(/^Iniciativa /);
    for (const [path, body] of feeds) {
      expect(body, path).not.toMatch(EMAIL);
      for (const text of fixture.contactStrings) expect(body.includes(text), `${text} in ${path}`).toBe(false);
    }
  });

  test('an unknown id or path is a plain 404 page, not a feed; feeds are read-only', async () => {
    for (const path of [
      '/feeds/concerns/00000000-0000-4000-8000-000000000000.atom',
      `/feeds/concerns/${fixture.hiddenIds[0]}.atom`,
      '/feeds/neighborhoods/no-such-neighborhood.atom',
      '/feeds/initiatives/00000000-0000-4000-8000-000000000000.atom',
      '/feeds/everything.atom',
      '/feeds/',
    ]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const text = await response.text();
      expect(text).toMatch(/no public feed/i);
      expect(text).not.toContain('<feed');
    }
    const spanish = await fetch(`${base}/feeds/es/concerns/00000000-0000-4000-8000-000000000000.atom`);
    expect(await spanish.text()).toMatch(/^No hay ningún canal público/);
    const post = await fetch(`${base}/feeds/citywide.atom`, { method: 'POST', body: '' });
    expect(post.status).toBe(405);
  });
});

describe('ttlCache', () => {
  test('shares one load within its time, loads again after it, and forgets failures', async () => {
    let loads = 0;
    const kept = ttlCache(3_600_000, async () => ++loads);
    expect(await Promise.all([kept(), kept(), kept()])).toEqual([1, 1, 1]);
    const fresh = ttlCache(0, async () => ++loads);
    expect(await fresh()).toBe(2);
    expect(await fresh()).toBe(3);
    let fail = true;
    const flaky = ttlCache(3_600_000, async () => {
      if (fail) throw new Error('down');
      return 'up';
    });
    await expect(flaky()).rejects.toThrow('down');
    fail = false;
    expect(await flaky()).toBe('up');
  });
});
