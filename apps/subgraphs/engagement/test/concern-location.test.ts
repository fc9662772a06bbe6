import { readFileSync } from 'node:fs';
import { type Area, pointInArea } from '@civic/geo/geometry';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Engagement,
  errorCode,
  partner,
  publicCaller,
  staff,
  startEngagementWith,
  tableCounts,
} from './helpers.ts';

/** Durham's published boundaries (DataWorks NC), the file the reference seed reads. */
const PUBLISHED = JSON.parse(
  readFileSync(
    new URL('../../../../packages/reference-data/data/durham/neighborhoods-wards-schools.geojson', import.meta.url),
    'utf8',
  ),
) as { features: { properties: { label: string; feature_type: string }; geometry: Area }[] };
const published = (label: string) =>
  PUBLISHED.features.find((f) => f.properties.feature_type === 'neighborhood' && f.properties.label === label)
    ?.geometry as Area;

const walltown = NEIGHBORHOODS.find((n) => n.slug === 'walltown')?.id as string;
const oldWestDurham = NEIGHBORHOODS.find((n) => n.slug === 'old-west-durham')?.id as string;
/** A point on Onslow Street, inside Walltown's published boundary (and no other neighborhood's). */
const IN_WALLTOWN = { latitude: 36.018349, longitude: -78.915712 };
/** Raleigh's Capitol: outside every Durham neighborhood and ward. */
const RALEIGH = { latitude: 35.7804, longitude: -78.6391 };

const CREATE = `mutation ($input: CreateConversationInput!) {
  createConversation(input: $input) {
    id concerns { id summary neighborhood { id name } ward location { type coordinates latitude longitude exact } }
  }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateConversationInput!) {
  updateConversation(id: $id, input: $input) {
    concerns { id summary neighborhood { id } location { latitude longitude } }
  }
}`;
const PUBLISH = 'mutation ($id: ID!) { publishConversation(id: $id) { id status } }';
const CONCERN =
  'query ($id: ID!) { concern(id: $id) { id neighborhood { id } location { type coordinates latitude longitude exact } } }';
const IMPORT_CSV = `mutation ($input: ImportConversationsCsvInput!) {
  importConversationsCsv(input: $input) {
    outcome conversation { concerns { summary neighborhood { id } location { latitude longitude } } }
  }
}`;

interface Located {
  id: string;
  summary: string;
  neighborhood: { id: string; name?: string } | null;
  ward?: number | null;
  location: { type?: string; coordinates?: number[]; latitude: number; longitude: number; exact?: boolean } | null;
}

let sg: Engagement;
beforeAll(async () => {
  sg = await startEngagementWith('reference');
});
afterAll(async () => {
  await sg?.stop();
});

let titles = 0;
function conversation(concerns: Record<string, unknown>[]) {
  titles += 1;
  return { title: `Location walk ${titles}`, heldOn: '2026-11-02T18:00:00.000Z', format: 'IN_PERSON', concerns };
}

async function refused(variables: Record<string, unknown>, query = CREATE) {
  const before = await tableCounts(sg);
  const result = await sg.execute(query, variables, staff);
  expect(errorCode(result)).toBe('BAD_USER_INPUT');
  expect(await tableCounts(sg)).toEqual(before);
  return (result.errors?.[0]?.extensions?.problems ?? []) as { field: string; message: string }[];
}

describe('a concern with a point', () => {
  it('the test point lies in Walltown’s published boundary and in no other neighborhood’s', () => {
    const position = [IN_WALLTOWN.longitude, IN_WALLTOWN.latitude];
    expect(pointInArea(position, published('Walltown'))).toBe(true);
    const holding = PUBLISHED.features.filter(
      (f) => f.properties.feature_type === 'neighborhood' && pointInArea(position, f.geometry),
    );
    expect(holding.map((f) => f.properties.label)).toEqual(['Walltown']);
    expect(pointInArea([RALEIGH.longitude, RALEIGH.latitude], published('Walltown'))).toBe(false);
  });

  it('lands in the neighborhood whose boundary holds it when none is given, and staff read it exactly', async () => {
    const result = await sg.execute<{ createConversation: { concerns: Located[] } }>(
      CREATE,
      { input: conversation([{ summary: 'The crossing on Onslow St. has no paint', location: IN_WALLTOWN }]) },
      staff,
    );
    expect(result.errors).toBeUndefined();
    const [concern] = result.data?.createConversation.concerns ?? [];
    expect(concern?.neighborhood).toEqual({ id: walltown, name: 'Walltown' });
    expect(concern?.ward).toBe(1);
    expect(concern?.location).toEqual({
      type: 'Point',
      coordinates: [IN_WALLTOWN.longitude, IN_WALLTOWN.latitude],
      ...IN_WALLTOWN,
      exact: true,
    });
    const row = await sg.prisma.concern.findUniqueOrThrow({ where: { id: concern?.id ?? '' } });
    expect([row.latitude, row.longitude]).toEqual([IN_WALLTOWN.latitude, IN_WALLTOWN.longitude]);
  });

  it('keeps a neighborhood given with a point that lies in it', async () => {
    const result = await sg.execute<{ createConversation: { concerns: Located[] } }>(
      CREATE,
      { input: conversation([{ summary: 'Sidewalk gap', location: IN_WALLTOWN, neighborhoodId: walltown }]) },
      staff,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createConversation.concerns[0]?.neighborhood?.id).toBe(walltown);
  });

  it('refuses a point outside Durham, naming the field, and stores nothing', async () => {
    const problems = await refused({
      input: conversation([
        { summary: 'Fine', neighborhoodId: walltown },
        { summary: 'Raleigh', location: RALEIGH },
      ]),
    });
    expect(problems).toEqual([
      {
        field: 'input.concerns.1.location',
        message: 'the point (35.7804, -78.6391) is outside the city: no neighborhood or council ward contains it',
      },
    ]);
  });

  it('refuses a point and a neighborhood that disagree, naming both', async () => {
    const problems = await refused({
      input: conversation([{ summary: 'Mismatch', location: IN_WALLTOWN, neighborhoodId: oldWestDurham }]),
    });
    const message = `the point (${IN_WALLTOWN.latitude}, ${IN_WALLTOWN.longitude}) lies in "Walltown", not in the neighborhood given, "Old West Durham"`;
    expect(problems).toEqual([
      { field: 'input.concerns.0.location', message },
      { field: 'input.concerns.0.neighborhoodId', message },
    ]);
  });

  it('refuses coordinates out of range or missing, naming the field', async () => {
    const problems = await refused({
      input: conversation([{ summary: 'North pole and beyond', location: { latitude: 120, longitude: -78.9 } }]),
    });
    expect(problems.map((p) => p.field)).toEqual(['input.concerns.0.location.latitude']);
    expect(problems[0]?.message).toBe('latitude must be between -90 and 90');
    // A missing coordinate is refused by GraphQL itself (latitude and longitude are required).
    const missing = await sg.execute(
      CREATE,
      { input: conversation([{ summary: 'Half a point', location: { latitude: 36 } }]) },
      staff,
    );
    expect(missing.errors?.[0]?.message).toMatch(/longitude/);
  });

  it('moves with a patch: a new point takes the neighborhood holding it; removing it keeps the neighborhood', async () => {
    const created = await sg.execute<{ createConversation: { id: string; concerns: Located[] } }>(
      CREATE,
      { input: conversation([{ summary: 'Potholes on the corner', neighborhoodId: oldWestDurham }]) },
      staff,
    );
    const id = created.data?.createConversation.id as string;
    const concernId = created.data?.createConversation.concerns[0]?.id as string;
    const moved = await sg.execute<{ updateConversation: { concerns: Located[] } }>(
      UPDATE,
      { id, input: { updateConcerns: [{ id: concernId, location: IN_WALLTOWN }] } },
      staff,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data?.updateConversation.concerns[0]).toMatchObject({
      neighborhood: { id: walltown },
      location: IN_WALLTOWN,
    });
    const problems = await refused(
      { id, input: { updateConcerns: [{ id: concernId, neighborhoodId: oldWestDurham }] } },
      UPDATE,
    );
    expect(problems.map((p) => p.field)).toEqual([
      'input.updateConcerns.0.location',
      'input.updateConcerns.0.neighborhoodId',
    ]);
    const cleared = await sg.execute<{ updateConversation: { concerns: Located[] } }>(
      UPDATE,
      { id, input: { updateConcerns: [{ id: concernId, location: null }] } },
      staff,
    );
    expect(cleared.data?.updateConversation.concerns[0]).toMatchObject({
      neighborhood: { id: walltown },
      location: null,
    });
  });
});

describe('the stored point', () => {
  it('the database itself refuses half a point or one out of range', async () => {
    const created = await sg.execute<{ createConversation: { concerns: Located[] } }>(
      CREATE,
      { input: conversation([{ summary: 'Checked by the database', neighborhoodId: walltown }]) },
      staff,
    );
    const id = created.data?.createConversation.concerns[0]?.id as string;
    await expect(sg.prisma.concern.update({ where: { id }, data: { latitude: 36.01 } })).rejects.toThrow(
      /Concern_location_check/,
    );
    await expect(sg.prisma.concern.update({ where: { id }, data: { latitude: 91, longitude: -78.9 } })).rejects.toThrow(
      /Concern_location_check/,
    );
    const row = await sg.prisma.concern.findUniqueOrThrow({ where: { id } });
    expect([row.latitude, row.longitude]).toEqual([null, null]);
  });
});

describe('privacy of the point', () => {
  it('public and partner callers read it rounded to 3 decimals (~100 m); staff exactly', async () => {
    const created = await sg.execute<{ createConversation: { id: string; concerns: Located[] } }>(
      CREATE,
      {
        input: conversation([
          { summary: 'Dark alley behind the store', location: IN_WALLTOWN, moderation: 'ACCEPTED' },
        ]),
      },
      staff,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data?.createConversation.id as string;
    const concernId = created.data?.createConversation.concerns[0]?.id as string;
    expect((await sg.execute(PUBLISH, { id }, staff)).errors).toBeUndefined();

    const coarse = { latitude: 36.018, longitude: -78.916 };
    for (const caller of [publicCaller, partner]) {
      const seen = await sg.execute<{ concern: Located }>(CONCERN, { id: concernId }, caller);
      expect(seen.errors).toBeUndefined();
      expect(seen.data?.concern).toEqual({
        id: concernId,
        neighborhood: { id: walltown },
        location: { type: 'Point', coordinates: [coarse.longitude, coarse.latitude], ...coarse, exact: false },
      });
    }
    const exact = await sg.execute<{ concern: Located }>(CONCERN, { id: concernId }, staff);
    expect(exact.data?.concern.location).toMatchObject({ ...IN_WALLTOWN, exact: true });
  });
});

describe('the conversations CSV with latitude and longitude', () => {
  const header = 'conversationKey,conversationTitle,heldOn,format,summary,neighborhood,latitude,longitude';

  it('stores the point and fills in the neighborhood holding it', async () => {
    const csv = `${header}
geo-walk-1,Walltown geo walk,2026-11-03,IN_PERSON,Broken streetlight on Onslow,,${IN_WALLTOWN.latitude},${IN_WALLTOWN.longitude}
geo-walk-1,,,,No point here,Old West Durham,,
`;
    const result = await sg.execute<{
      importConversationsCsv: { outcome: string; conversation: { concerns: Located[] } }[];
    }>(IMPORT_CSV, { input: { csv } }, staff);
    expect(result.errors).toBeUndefined();
    const concerns = result.data?.importConversationsCsv[0]?.conversation.concerns ?? [];
    expect(concerns.map((c) => [c.summary, c.neighborhood?.id, c.location])).toEqual([
      ['Broken streetlight on Onslow', walltown, IN_WALLTOWN],
      ['No point here', oldWestDurham, null],
    ]);
    const again = await sg.execute<{ importConversationsCsv: { outcome: string }[] }>(
      IMPORT_CSV,
      { input: { csv } },
      staff,
    );
    expect(again.data?.importConversationsCsv[0]?.outcome).toBe('UNCHANGED');
  });

  it('refuses the file with a problem that names the row and column', async () => {
    const csv = `${header}
geo-walk-2,Bad points,2026-11-04,IN_PERSON,Too far,,${RALEIGH.latitude},${RALEIGH.longitude}
geo-walk-2,,,,Not a number,,north,-78.9
geo-walk-2,,,,Only one,,36.01,
geo-walk-2,,,,Out of range,,36.01,-200
geo-walk-2,,,,Disagrees,Old West Durham,${IN_WALLTOWN.latitude},${IN_WALLTOWN.longitude}
`;
    const problems = await refused({ input: { csv, fileName: 'walk.csv' } }, IMPORT_CSV);
    expect(problems).toEqual([
      {
        field: 'walk.csv row 3, field "latitude"',
        message: 'must be a number in decimal degrees, e.g. 35.9940 or -78.8986',
      },
      { field: 'walk.csv row 4, field "longitude"', message: 'give both latitude and longitude, or neither' },
    ]);
    const placed = await refused(
      { input: { csv: csv.replace(/^geo-walk-2,,,,(Not a number|Only one).*\n/gm, ''), fileName: 'walk.csv' } },
      IMPORT_CSV,
    );
    expect(placed).toEqual([
      { field: 'walk.csv row 3, field "longitude"', message: 'longitude must be between -180 and 180' },
    ]);
    const outside = await refused(
      {
        input: {
          csv: csv.replace(/^geo-walk-2,,,,(Not a number|Only one|Out of range).*\n/gm, ''),
          fileName: 'walk.csv',
        },
      },
      IMPORT_CSV,
    );
    expect(outside.map((p) => p.field)).toEqual([
      'walk.csv row 2, field "latitude"',
      'walk.csv row 3, field "latitude"',
      'walk.csv row 3, field "neighborhood"',
    ]);
    expect(outside[0]?.message).toMatch(/outside the city/);
    expect(outside[1]?.message).toMatch(/lies in "Walltown", not in the neighborhood given, "Old West Durham"/);
  });
});
