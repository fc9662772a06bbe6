import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  type Engagement,
  errorCode,
  partner,
  publicCaller,
  staff,
  startEngagementWith,
  tableCounts,
} from './helpers.ts';

const require = createRequire(import.meta.url);
const polisFile = (path: string) =>
  readFileSync(require.resolve(`@civic/reference-data/data/polis/american-assembly.bowling-green/${path}`), 'utf8');
const SUMMARY = polisFile('summary.csv');
const COMMENTS = polisFile('comments.csv');

const IMPORT_POLIS = `mutation ($input: ImportPolisExportInput!) {
  importPolisExport(input: $input) {
    externalId title outcome concerns concernsCreated concernsUpdated publicConcerns published
    conversation { id status updatedAt concerns { id moderation published supportCount mentionCount } }
  }
}`;
const IMPORT_CSV = `mutation ($input: ImportConversationsCsvInput!) {
  importConversationsCsv(input: $input) {
    externalId title outcome concerns concernsCreated concernsUpdated publicConcerns published
    conversation { id status neighborhoods { slug } concerns { summary themes moderation neighborhood { slug } supportCount } }
  }
}`;

interface Imported {
  outcome: string;
  concerns: number;
  concernsCreated: number;
  concernsUpdated: number;
  publicConcerns: number;
  published: boolean;
  conversation: {
    id: string;
    status: string;
    updatedAt: string;
    concerns: { id: string; moderation: string; published: boolean; supportCount: number }[];
  } | null;
}

function problemsOf(result: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) {
  return (result.errors?.[0]?.extensions?.problems ?? []) as { field: string; message: string }[];
}

let sg: Engagement;
beforeAll(async () => {
  // A city without the demo's conversations: the demo already holds the Bowling Green export imported here.
  sg = await startEngagementWith('reference');
});
afterAll(async () => {
  await sg?.stop();
});

describe('importPolisExport', () => {
  it('is for staff only', async () => {
    for (const who of [publicCaller, partner]) {
      const result = await sg.execute(IMPORT_POLIS, { input: { summaryCsv: SUMMARY, commentsCsv: COMMENTS } }, who);
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorCode(result));
    }
  });

  it('refuses a malformed file naming file, row and field, and writes nothing', async () => {
    const before = await tableCounts(sg);
    const lines = COMMENTS.split('\n');
    const cells = (lines[11] as string).split(',');
    cells[6] = '2';
    lines[11] = cells.join(',');
    lines[20] = (lines[20] as string).replace(/^\d+/, 'yesterday');
    const result = await sg.execute(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: lines.join('\n') } },
      admin,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe(
      'comments.csv row 12, field "moderated": must be 1 (accepted), -1 (rejected) or 0 (not moderated) (and 1 more)',
    );
    expect(problemsOf(result)).toEqual([
      { field: 'comments.csv row 12, field "moderated"', message: expect.any(String) },
      { field: 'comments.csv row 21, field "timestamp"', message: 'not a timestamp' },
    ]);
    const missing = await sg.execute(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: COMMENTS.replace('agrees,', 'agreed,') } },
      admin,
    );
    expect(missing.errors?.[0]?.message).toBe('comments.csv, field "agrees": the column is missing');
    const unclosed = await sg.execute(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: `${COMMENTS}1,2,3,4,5,6,1,"open` } },
      admin,
    );
    expect(unclosed.errors?.[0]?.message).toMatch(/^comments\.csv line \d+: not valid CSV/);
    expect(await tableCounts(sg)).toEqual(before);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await tableCounts(sg);
    const result = await sg.execute<{ importPolisExport: Imported }>(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: COMMENTS, dryRun: true } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.importPolisExport).toMatchObject({ outcome: 'CREATED', concerns: 896, conversation: null });
    expect(await tableCounts(sg)).toEqual(before);
  });

  it('imports, then a second import writes nothing, then a newer export updates what changed', async () => {
    const rows = parse(COMMENTS, { columns: true }) as Record<string, string>[];
    const accepted = rows.filter((r) => r.moderated === '1').length;
    const auditBefore = await sg.prisma.auditEntry.count({ where: { action: 'concern.create' } });
    const first = await sg.execute<{ importPolisExport: Imported }>(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: COMMENTS } },
      admin,
    );
    expect(first.errors).toBeUndefined();
    const created = first.data?.importPolisExport as Imported;
    expect(created).toMatchObject({
      outcome: 'CREATED',
      concerns: 896,
      concernsCreated: 896,
      publicConcerns: accepted,
    });
    expect(created.conversation?.status).toBe('PUBLISHED');
    const audit = await sg.prisma.auditEntry.count({ where: { action: 'concern.create' } });
    expect(audit - auditBefore).toBe(896);

    const counts = await tableCounts(sg);
    const again = await sg.execute<{ importPolisExport: Imported }>(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: COMMENTS } },
      staff,
    );
    expect(again.data?.importPolisExport).toMatchObject({
      outcome: 'UNCHANGED',
      concernsCreated: 0,
      concernsUpdated: 0,
    });
    expect(again.data?.importPolisExport.conversation?.updatedAt).toBe(created.conversation?.updatedAt);
    expect(await tableCounts(sg)).toEqual(counts);

    // A later export: one more vote on the first statement, one new statement.
    const header = COMMENTS.split('\n')[0];
    const [firstRow] = rows;
    const later = [
      header,
      ...COMMENTS.split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line, i) =>
          i === 0 ? line.replace(`,${firstRow?.agrees},`, `,${Number(firstRow?.agrees) + 1},`) : line,
        ),
      '1518501496999,Tue Feb 13 13:00:00 WIB 2018,9999,1,3,0,0,A newer statement about the library hours',
    ].join('\n');
    const updated = await sg.execute<{ importPolisExport: Imported }>(
      IMPORT_POLIS,
      { input: { summaryCsv: SUMMARY, commentsCsv: later } },
      admin,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.importPolisExport).toMatchObject({
      outcome: 'UPDATED',
      concernsCreated: 1,
      concernsUpdated: 1,
    });
    const fresh = await sg.prisma.concern.findFirst({ where: { sourceExternalId: '9999' } });
    expect(fresh).toMatchObject({ moderation: 'PENDING', published: true, supportCount: 3 });
    const pub = await sg.execute<{ conversation: { concerns: { id: string }[] } }>(
      'query ($id: ID!) { conversation(id: $id) { concerns { id } } }',
      { id: created.conversation?.id },
      publicCaller,
    );
    expect(pub.data?.conversation.concerns).toHaveLength(accepted);
  });
});

const TEMPLATE = `conversationKey,conversationTitle,heldOn,format,host,conversationLanguages,participantCount,conversationSummary,conversationNeighborhoods,summary,detail,themes,language,neighborhood,supportCount,mentionCount,moderation
hayti-2026-10,Hayti listening session,2026-10-14,in person,Neighborhood Improvement Services,en;es,34,Evening session at the Hayti Heritage Center,Hayti,Streetlights out on Fayetteville Street,,Public safety;Infrastructure,en,hayti,12,3,ACCEPTED
hayti-2026-10,,,,,,,,,Más rutas de autobús los domingos,,Transporte,es,Hayti,8,,PENDING
walltown-2026-09,Walltown park walk,2026-09-20,IN_PERSON,,,12,,walltown,A safe crossing at the park entrance,Cars are fast on the curve,TRANSPORTATION,,,,,
`;

describe('importConversationsCsv', () => {
  it('finds neighborhoods by published English or Spanish name and by demo-era alias, case-insensitively', async () => {
    const csv = `conversationKey,conversationTitle,heldOn,format,conversationNeighborhoods,summary,neighborhood
names-2026-11,Names walk,2026-11-02,in person,SOUTHSIDE / ST. TERESA;few gardens,A bench at the bus stop,lakewood
names-2026-11,,,,,Más luces en la calle,Old East Durham
`;
    const result = await sg.execute<{ importConversationsCsv: Imported[] }>(IMPORT_CSV, { input: { csv } }, staff);
    expect(result.errors).toBeUndefined();
    const conversation = result.data?.importConversationsCsv[0]?.conversation as unknown as {
      neighborhoods: { slug: string }[];
      concerns: { neighborhood: { slug: string } | null }[];
    };
    expect(conversation?.neighborhoods.map((n) => n.slug).sort()).toEqual(['eastway-village', 'southside-st-teresa']);
    expect(conversation?.concerns.map((c) => c.neighborhood?.slug)).toEqual(['lakewood-park', 'old-east-durham']);
    const unknown = await sg.execute(
      IMPORT_CSV,
      {
        input: {
          csv: csv.replace(
            'names-2026-11,,,,,Más luces en la calle,Old East Durham',
            'names-2026-11,,,,,Más luces,Smallhouse Rd',
          ),
        },
      },
      staff,
    );
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(problemsOf(unknown)).toEqual([
      { field: 'conversations.csv row 3, field "neighborhood"', message: 'no neighborhood is called "Smallhouse Rd"' },
    ]);
  });

  it('imports every conversation of the file as drafts, and a re-import writes nothing', async () => {
    const result = await sg.execute<{ importConversationsCsv: Imported[] }>(
      IMPORT_CSV,
      { input: { csv: TEMPLATE } },
      staff,
    );
    expect(result.errors).toBeUndefined();
    const [hayti, walltown] = result.data?.importConversationsCsv ?? [];
    expect(hayti).toMatchObject({ outcome: 'CREATED', concerns: 2, published: false, publicConcerns: 0 });
    expect(walltown).toMatchObject({ outcome: 'CREATED', concerns: 1 });
    expect(hayti?.conversation).toMatchObject({
      status: 'DRAFT',
      neighborhoods: [{ slug: 'southside-st-teresa' }],
      concerns: [
        {
          summary: 'Streetlights out on Fayetteville Street',
          themes: ['PUBLIC_SAFETY', 'INFRASTRUCTURE'],
          moderation: 'ACCEPTED',
          neighborhood: { slug: 'southside-st-teresa' },
          supportCount: 12,
        },
        { summary: 'Más rutas de autobús los domingos', themes: ['TRANSPORTATION'], moderation: 'PENDING' },
      ],
    });
    const counts = await tableCounts(sg);
    const again = await sg.execute<{ importConversationsCsv: Imported[] }>(
      IMPORT_CSV,
      { input: { csv: TEMPLATE } },
      staff,
    );
    expect(again.data?.importConversationsCsv.map((r) => r.outcome)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(await tableCounts(sg)).toEqual(counts);

    const published = await sg.execute<{ importConversationsCsv: Imported[] }>(
      IMPORT_CSV,
      { input: { csv: TEMPLATE, publish: true } },
      staff,
    );
    expect(published.data?.importConversationsCsv.map((r) => [r.outcome, r.publicConcerns])).toEqual([
      ['UPDATED', 1],
      ['UPDATED', 0],
    ]);
  });

  it('refuses the whole file on any row problem, naming row and column', async () => {
    const before = await tableCounts(sg);
    const bad = `${TEMPLATE}new-one,New conversation,2026-13-01,ONLINE,,,,,,Fine summary,,Weather,,Nowhere,-3,,
`;
    const result = await sg.execute(IMPORT_CSV, { input: { csv: bad, fileName: 'mine.csv' } }, staff);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(problemsOf(result)).toEqual([
      { field: 'mine.csv row 5, field "heldOn"', message: 'must be a date as YYYY-MM-DD' },
      { field: 'mine.csv row 5, field "themes"', message: '"Weather" is not a theme' },
      { field: 'mine.csv row 5, field "neighborhood"', message: 'no neighborhood is called "Nowhere"' },
      { field: 'mine.csv row 5, field "supportCount"', message: 'must not be negative' },
    ]);
    const differing = TEMPLATE.replace('hayti-2026-10,,,,', 'hayti-2026-10,Another title,,,');
    const clash = await sg.execute(IMPORT_CSV, { input: { csv: differing } }, staff);
    expect(clash.errors?.[0]?.message).toBe(
      'conversations.csv row 3, field "conversationTitle": differs from row 2 of conversation "hayti-2026-10" ("Hayti listening session")',
    );
    const long = TEMPLATE.replace('A safe crossing at the park entrance', 'x'.repeat(501));
    const tooLong = await sg.execute(IMPORT_CSV, { input: { csv: long } }, staff);
    expect(tooLong.errors?.[0]?.message).toBe(
      'conversations.csv row 4, field "summary": must be at most 500 characters',
    );
    expect(await tableCounts(sg)).toEqual(before);
  });
});
