import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { devToken, resultsDir, startWebStack, type WebStack } from './harness.ts';

// Issue 16: a concern with a point shows "Near <neighborhood>" on its page, never the point.
const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('places browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)');

/** A point on Onslow Street, inside Walltown's published boundary. */
const IN_WALLTOWN = { latitude: 36.018349, longitude: -78.915712 };

let web: WebStack;
let located: string;
let placed: string;

beforeAll(async () => {
  if (!hasChromium) return;
  web = await startWebStack();
  const token = devToken(web.stack.jwtSecret, { sub: 'staff-places-test', role: 'ADMIN' });
  const { neighborhoods } = await web.query<{ neighborhoods: { id: string; slug: string }[] }>(
    '{ neighborhoods { id slug } }',
  );
  const walltown = neighborhoods.find((n) => n.slug === 'walltown')?.id;
  const created = await web.query<{ createConversation: { id: string; concerns: { id: string; summary: string }[] } }>(
    `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id concerns { id summary } } }`,
    {
      input: {
        title: 'Walltown walk with places',
        heldOn: '2026-11-05T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [
          { summary: 'No paint on the Onslow Street crossing', location: IN_WALLTOWN, moderation: 'ACCEPTED' },
          { summary: 'More benches along the park path', neighborhoodId: walltown, moderation: 'ACCEPTED' },
        ],
      },
    },
    token,
  );
  const { id, concerns } = created.createConversation;
  await web.query('mutation ($id: ID!) { publishConversation(id: $id) { id } }', { id }, token);
  located = concerns.find((c) => c.summary.startsWith('No paint'))?.id as string;
  placed = concerns.find((c) => c.summary.startsWith('More benches'))?.id as string;
});

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  await web.page.screenshot({ path: join(resultsDir, 'failed-places.png'), fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await web?.close();
});

describe.skipIf(!hasChromium)('concern page', () => {
  it('says "Near Walltown" for a concern with a point, in English and Spanish, and never shows the point', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/concerns/${located}`);
    const place = page.locator('dl.facts dd', { hasText: 'Walltown' });
    await expect.poll(() => place.first().textContent()).toContain('Near Walltown');
    const body = (await page.textContent('body')) ?? '';
    for (const value of [IN_WALLTOWN.latitude, IN_WALLTOWN.longitude, 36.018, -78.916]) {
      expect(body).not.toContain(String(value));
    }
    await page.getByRole('button', { name: 'Español' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await expect.poll(() => place.first().textContent()).toContain('Cerca de Walltown');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('names the neighborhood alone for a concern without a point', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/concerns/${placed}`);
    const place = page.locator('dl.facts dd', { hasText: 'Walltown' });
    await expect.poll(() => place.first().textContent()).toMatch(/^Walltown/);
    expect(await place.first().textContent()).not.toContain('Near');
  });
});
