import { type PrivacyFixture, seedPrivacyFixture } from '@civic/open-data/testing';
import { THEME_CODES } from '@civic/taxonomy/themes';
import { type Stack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gatewayBase, productionStack } from './helpers.ts';
import { validateOpen311 } from './open311-schema.ts';

interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  requested_datetime: string;
  updated_datetime: string;
  address: string | null;
  lat: number | null;
  long: number | null;
}

let stack: Stack;
let v2: string;
let fixture: PrivacyFixture;
/** Every published concern as the open data gives it (id, created_at, themes, status). */
let published: { id: string; created_at: string; themes: string[]; status: string }[];

const DAY = 86_400_000;
const get = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${v2}${path}`, init);
  return { status: response.status, headers: response.headers, body: await response.json() };
};

beforeAll(async () => {
  stack = await productionStack({ seed: 'demo' });
  v2 = `${gatewayBase(stack)}/open311/v2`;
  fixture = await seedPrivacyFixture(stack, '311');
  // The open data is read once and compared with Open311's answers below: both must see the same themes.
  await waitAlignmentCaughtUp(stack);
  published = await (await fetch(`${gatewayBase(stack)}/open-data/concerns.json`)).json();
}, 700_000);

afterAll(async () => {
  await stack?.destroy();
});

describe('Open311 GeoReport v2 (read-only, JSON)', () => {
  test('every kind of response matches the JSON Schema written from the GeoReport v2 specification', async () => {
    const check = (kind: Parameters<typeof validateOpen311>[0], body: unknown) => {
      const validate = validateOpen311(kind);
      expect(validate(body), `${kind}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
    check('discovery', (await get('/discovery.json')).body);
    check('services', (await get('/services.json')).body);
    const list = await get('/requests.json');
    expect(list.body.length).toBeGreaterThan(0);
    check('requests', list.body);
    check('requests', (await get(`/requests/${fixture.visibleWithContact.id}.json`)).body);
    for (const path of ['/requests.json?start_date=nonsense', '/requests/nope.json', '/services.xml']) {
      const answer = await get(path);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      check('errors', answer.body);
    }
  });

  test('every published concern is a request with a service_code (GENERAL when it has no theme)', async () => {
    const ids = published.map((c) => c.id);
    const seen: ServiceRequest[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const answer = await get(`/requests.json?page_size=200&service_request_id=${chunk.join(',')}`);
      expect(answer.status).toBe(200);
      seen.push(...answer.body);
    }
    expect(seen).toHaveLength(ids.length);
    // Concerns the alignment engine has not tagged yet have no theme: they are listed as GENERAL
    // (the unit test builds one; the demo data may have none left once tagging has run).
    const unthemed = new Set(published.filter((c) => c.themes.length === 0).map((c) => c.id));
    for (const request of seen) {
      expect(request.service_code, request.service_request_id).toMatch(/^[A-Z_]+$/);
      expect(request.service_code === 'GENERAL', request.service_request_id).toBe(
        unthemed.has(request.service_request_id),
      );
    }
    const general = await get('/requests.json?service_code=GENERAL&page_size=200');
    expect(general.status).toBe(200);
    expect(general.body.every((r: ServiceRequest) => r.service_code === 'GENERAL')).toBe(true);
  });

  test('discovery.json names the GeoReport v2 endpoint in JSON', async () => {
    const { status, headers, body } = await get('/discovery.json');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toMatchObject({
      changeset: expect.any(String),
      contact: expect.any(String),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: v2,
          type: 'production',
          formats: ['application/json'],
        },
      ],
    });
  });

  test('services.json lists the themes as realtime services without metadata', async () => {
    const { status, body } = await get('/services.json');
    expect(status).toBe(200);
    expect(body.map((s: { service_code: string }) => s.service_code)).toEqual([...THEME_CODES, 'GENERAL']);
    for (const service of body) {
      expect(service).toEqual({
        service_code: expect.any(String),
        service_name: expect.any(String),
        description: expect.any(String),
        metadata: false,
        type: 'realtime',
        keywords: expect.stringMatching(/^\S.*/),
        group: expect.any(String),
      });
    }
  });

  test('requests.json defaults to the last 90 days: the new published concern, closed, with the city’s note and agency', async () => {
    const { status, body } = await get('/requests.json');
    expect(status).toBe(200);
    const ids = body.map((r: ServiceRequest) => r.service_request_id);
    expect(ids).toContain(fixture.visibleWithContact.id);
    for (const id of fixture.hiddenIds) expect(ids).not.toContain(id);
    const cutoff = Date.now() - 91 * DAY;
    for (const request of body as ServiceRequest[]) {
      expect(Date.parse(request.requested_datetime)).toBeGreaterThan(cutoff);
    }
    const mine = body.find((r: ServiceRequest) => r.service_request_id === fixture.visibleWithContact.id);
    expect(mine).toMatchObject({
      status: 'closed',
      status_notes: fixture.visibleWithContact.note,
      service_code: 'INFRASTRUCTURE',
      service_name: 'Infrastructure',
      agency_responsible: fixture.visibleWithContact.leadDepartment,
      address: 'Southside / St. Teresa, Ward 1',
    });
    // Without a point, lat/long are its neighborhood's centroid, as in the open data.
    const geo = (await (await fetch(`${gatewayBase(stack)}/open-data/concerns.geojson`)).json()) as {
      features: { id: string; geometry: { coordinates: [number, number] } }[];
    };
    const at = (id: string) => geo.features.find((f) => f.id === id)?.geometry.coordinates;
    expect([mine.long, mine.lat]).toEqual(at(fixture.visibleWithContact.id));
    // With a point, lat/long are the public one (rounded to ~100 m), never the stored one.
    const located = body.find((r: ServiceRequest) => r.service_request_id === fixture.located.id);
    expect([located?.long, located?.lat]).toEqual(fixture.located.public);
    const single = await get(`/requests/${fixture.located.id}.json`);
    expect([single.body[0]?.long, single.body[0]?.lat]).toEqual(fixture.located.public);
    const alone = await get(`/requests/${fixture.visibleWithContact.id}.json`);
    expect([alone.body[0]?.long, alone.body[0]?.lat]).toEqual(at(fixture.visibleWithContact.id));
    const text = JSON.stringify(body);
    for (const contact of fixture.contactStrings) expect(text).not.toContain(contact);
  });

  test('service_code and status filter', async () => {
    const infra = await get('/requests.json?service_code=INFRASTRUCTURE');
    expect(infra.body.map((r: ServiceRequest) => r.service_request_id)).toContain(fixture.visibleWithContact.id);
    // A concern matches every theme it has, listed under its first.
    const safety = await get('/requests.json?service_code=PUBLIC_SAFETY');
    expect(safety.body.map((r: ServiceRequest) => r.service_request_id)).toContain(fixture.visibleWithContact.id);
    const housing = await get('/requests.json?service_code=HOUSING');
    expect(housing.body.map((r: ServiceRequest) => r.service_request_id)).not.toContain(fixture.visibleWithContact.id);
    const closed = await get('/requests.json?status=closed');
    expect(closed.body.length).toBeGreaterThan(0);
    expect(closed.body.every((r: ServiceRequest) => r.status === 'closed')).toBe(true);
    const open = await get('/requests.json?status=open');
    expect(open.body.every((r: ServiceRequest) => r.status === 'open')).toBe(true);
    expect(open.body.map((r: ServiceRequest) => r.service_request_id)).not.toContain(fixture.visibleWithContact.id);
    const both = await get('/requests.json?status=open,closed');
    expect(both.body.length).toBe(open.body.length + closed.body.length);
  });

  test('start_date/end_date select exactly the published concerns requested in the window, newest first, paged', async () => {
    const oldest = published.map((c) => c.created_at).sort()[0] as string;
    const from = new Date(Date.parse(oldest) - DAY).toISOString();
    const to = new Date(Date.parse(oldest) + 60 * DAY).toISOString();
    const expected = published
      .filter((c) => c.created_at >= from && c.created_at <= to)
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
      .map((c) => c.id);
    expect(expected.length).toBeGreaterThan(3);
    const pageSize = Math.min(200, Math.ceil(expected.length / 3));
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(expected.length / pageSize) + 1; page++) {
      const { status, body } = await get(
        `/requests.json?start_date=${from}&end_date=${to}&page_size=${pageSize}&page=${page}`,
      );
      expect(status).toBe(200);
      expect(body.length).toBeLessThanOrEqual(pageSize);
      seen.push(...body.map((r: ServiceRequest) => r.service_request_id));
    }
    expect(seen).toEqual(expected);
    const dateOnly = await get(
      `/requests.json?start_date=${from.slice(0, 10)}&end_date=${to.slice(0, 10)}&page_size=200`,
    );
    expect(dateOnly.status).toBe(200);
  });

  test('requests/{id}.json answers a published concern, and 404 for hidden ones exactly as for unknown ids', async () => {
    const { status, body } = await get(`/requests/${fixture.visibleWithContact.id}.json`);
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      service_request_id: fixture.visibleWithContact.id,
      status: 'closed',
      status_notes: fixture.visibleWithContact.note,
      agency_responsible: fixture.visibleWithContact.leadDepartment,
    });
    const unknown = await get('/requests/00000000-0000-4000-8000-000000000000.json');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ code: 404, description: expect.any(String) }]);
    for (const id of fixture.hiddenIds.slice(-6)) {
      const hidden = await get(`/requests/${id}.json`);
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual(unknown.body);
    }
    const listed = await get(`/requests.json?service_request_id=${fixture.hiddenIds.slice(-3).join(',')}`);
    expect(listed.body).toEqual([]);
  });

  test.each([
    ['/requests.json?start_date=yesterday', 400],
    ['/requests.json?start_date=2024-13-45', 400],
    ['/requests.json?end_date=2024-01-01T25:00:00Z', 400],
    ['/requests.json?start_date=2024-03-01&end_date=2024-02-01', 400],
    ['/requests.json?start_date=2024-01-01&end_date=2024-06-01', 400],
    ['/requests.json?status=pending', 400],
    ['/requests.json?service_code=NOT_A_THEME', 400],
    ['/requests.json?page_size=201', 400],
    ['/requests.json?page=0', 400],
    ['/requests.xml', 400],
    ['/services.xml', 400],
    ['/discovery.xml', 400],
    ['/requests/abc.xml', 400],
    ['/requests', 400],
    ['/nothing.json', 404],
  ])('%s → %i with a spec error body', async (path, code) => {
    const { status, headers, body } = await get(path);
    expect(status).toBe(code);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(body).toEqual([{ code, description: expect.any(String) }]);
  });

  test('read-only: POST is refused with 405', async () => {
    const { status, body } = await get('/requests.json', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'service_code=HOUSING&description=x',
    });
    expect(status).toBe(405);
    expect(body).toEqual([{ code: 405, description: expect.any(String) }]);
  });
});
