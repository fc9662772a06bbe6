import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engagement, errorCode, partner, publicCaller, staff, startEngagement } from './helpers.ts';

let sg: Engagement;
let hiddenId: string;
beforeAll(async () => {
  sg = await startEngagement();
  hiddenId = (
    await sg.prisma.concern.findFirstOrThrow({
      where: { OR: [{ published: false }, { moderation: { not: 'ACCEPTED' } }] },
    })
  ).id;
});
afterAll(async () => {
  await sg?.stop();
});

const PAGE = `query ($first: Int, $after: String, $before: String, $last: Int) {
  concerns(first: $first, after: $after, before: $before, last: $last) {
    edges { cursor node { id } } pageInfo { startCursor endCursor hasNextPage } } }`;
type Page = {
  concerns: {
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean };
  };
};

/** What Pothos's own cursor for a concern id looks like (the format cursors had before they were sealed). */
function pothosCursor(id: string): string {
  return Buffer.from(`GPC:S:${id}`).toString('base64');
}

describe('concern cursors', () => {
  it('are opaque: the page cursors do not carry a readable concern id', async () => {
    const page = await sg.execute<Page>(PAGE, { first: 3 }, publicCaller);
    expect(page.errors).toBeUndefined();
    for (const edge of page.data?.concerns.edges ?? []) {
      expect(edge.cursor).not.toContain(edge.node.id);
      expect(Buffer.from(edge.cursor, 'base64').toString('latin1')).not.toContain(edge.node.id);
      expect(edge.cursor).not.toBe(pothosCursor(edge.node.id));
    }
  });

  it('page forwards and backwards with the cursors they give out', async () => {
    const first = await sg.execute<Page>(PAGE, { first: 2 }, publicCaller);
    const ids = first.data?.concerns.edges.map((e) => e.node.id) ?? [];
    const next = await sg.execute<Page>(
      PAGE,
      { first: 2, after: first.data?.concerns.pageInfo.endCursor },
      publicCaller,
    );
    expect(next.errors).toBeUndefined();
    const nextIds = next.data?.concerns.edges.map((e) => e.node.id) ?? [];
    expect(nextIds).toHaveLength(2);
    expect(nextIds.some((id) => ids.includes(id))).toBe(false);
    const back = await sg.execute<Page>(
      PAGE,
      { last: 2, before: next.data?.concerns.pageInfo.startCursor },
      publicCaller,
    );
    expect(back.errors).toBeUndefined();
    expect(back.data?.concerns.edges.map((e) => e.node.id)).toEqual(ids);
  });

  it('refuse a forged cursor the same way whether it names a hidden concern or nothing', async () => {
    for (const caller of [publicCaller, partner]) {
      for (const forged of [pothosCursor(hiddenId), pothosCursor(randomUUID()), 'c1.AAAA.BBBB', 'junk']) {
        const hidden = await sg.execute<Page>(PAGE, { first: 5, after: forged }, caller);
        expect(errorCode(hidden)).toBe('BAD_USER_INPUT');
        expect(hidden.data?.concerns ?? null).toBeNull();
        const before = await sg.execute<Page>(PAGE, { last: 5, before: forged }, caller);
        expect(errorCode(before)).toBe('BAD_USER_INPUT');
      }
    }
  });

  it("refuse a staff member's cursor from another role", async () => {
    const page = await sg.execute<Page>(PAGE, { first: 2 }, staff);
    const cursor = page.data?.concerns.pageInfo.endCursor;
    expect(cursor).toBeTruthy();
    expect((await sg.execute<Page>(PAGE, { first: 2, after: cursor }, staff)).errors).toBeUndefined();
    expect(errorCode(await sg.execute<Page>(PAGE, { first: 2, after: cursor }, publicCaller))).toBe('BAD_USER_INPUT');
  });

  it('seal the other lists too (conversations)', async () => {
    const q = 'query ($after: String) { conversations(first: 1, after: $after) { pageInfo { endCursor } } }';
    const page = await sg.execute<{ conversations: { pageInfo: { endCursor: string } } }>(q, {}, publicCaller);
    const cursor = page.data?.conversations.pageInfo.endCursor as string;
    expect(cursor.startsWith('c1.')).toBe(true);
    expect((await sg.execute(q, { after: cursor }, publicCaller)).errors).toBeUndefined();
    const draft = await sg.prisma.conversation.findFirstOrThrow({ where: { status: 'DRAFT' } });
    expect(errorCode(await sg.execute(q, { after: pothosCursor(draft.id) }, publicCaller))).toBe('BAD_USER_INPUT');
  });
});
