import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { seriousViolations } from './axe.ts';
import { devToken, resultsDir, startWebStack, type WebStack } from './harness.ts';

// Debian's chromium package provides the browser; without it these tests cannot run at all.
const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('web browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)');

let web: WebStack;
let concern: { id: string; summary: string };
let initiative: { id: string; code: string; title: string };
let token: string;

beforeAll(async () => {
  if (!hasChromium) return;
  web = await startWebStack();
  web.page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const { concerns } = await web.query<{ concerns: { edges: { node: { id: string; summary: string } }[] } }>(
    `{ concerns(first: 1, orderBy: MOST_SUPPORTED, filter: { aligned: false }) { edges { node { id summary } } } }`,
  );
  concern = concerns.edges[0]?.node as typeof concern;
  const { initiatives } = await web.query<{
    initiatives: { id: string; code: string; title: string; leadDepartment: { id: string } | null }[];
  }>(`{ initiatives { id code title leadDepartment { id } } }`);
  const led = initiatives.find((i) => i.leadDepartment);
  initiative = led as typeof initiative;
  token = devToken(web.stack.jwtSecret, { sub: 'staff-web-test', role: 'STAFF', department: led?.leadDepartment?.id });
  expect(concern).toBeDefined();
  expect(initiative).toBeDefined();
});

const consoleErrors: string[] = [];

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const name = context.task.name.replace(/\W+/g, '-').slice(0, 40);
  await web.page.screenshot({ path: join(resultsDir, `failed-${name}.png`), fullPage: true }).catch(() => {});
  console.error(
    `page at failure (${web.page.url()}):\n${((await web.page.textContent('body').catch(() => '')) ?? '').slice(0, 2000)}`,
  );
  console.error(`console errors:\n${consoleErrors.join('\n')}`);
});

afterAll(async () => {
  await web?.close();
});

async function signIn() {
  await web.page.goto(`${web.webUrl}/#/sign-in`);
  await web.page.getByLabel('Sign-in token').fill(token);
  await web.page.getByRole('button', { name: 'Sign in' }).click();
  await web.page.getByText('Signed in as STAFF.').waitFor();
}

/**
 * Waits for `locator`; on a timeout the error says what the page showed instead, so that CI's one-line
 * summary of a failure is enough to tell a slow stack from a wrong page.
 */
async function shown(locator: Locator, what: string) {
  try {
    await locator.waitFor();
  } catch (error) {
    const main = await web.page
      .locator('main')
      .innerText({ timeout: 2000 })
      .catch(() => '(no main element)');
    throw new Error(
      `${what} not shown at ${web.page.url()}; the page shows: ${main.replace(/\s+/g, ' ').slice(0, 240)}`,
      {
        cause: error,
      },
    );
  }
}

async function expectAccessible(name: string) {
  const violations = await seriousViolations(web.page);
  await web.page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

describe.skipIf(!hasChromium)('web client against the real stack', () => {
  it('shows the strategic-plan dashboard with five goals and passes axe', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/`);
    await page.getByRole('heading', { level: 3, name: /^Goal 5:/ }).waitFor();
    expect(await page.getByRole('heading', { level: 3, name: /^Goal \d:/ }).count()).toBe(5);
    await page.locator('.initiative-card').nth(5).waitFor();
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    expect(await page.locator('.initiative-card .badge').count()).toBeGreaterThan(5);
    expect(await page.locator('.initiative-card figure.measure').count()).toBeGreaterThan(0);
    await expectAccessible('plan');
  });

  it('filters the concern list by ward and pages with a cursor', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/concerns`);
    const count = page.locator('p.count').first();
    await count.waitFor();
    const all = Number(((await count.textContent()) ?? '').replace(/\D/g, ''));
    // Ward 1: most of the Durham demo's neighborhoods (over 100 published concerns; ward 3 has 11, ward 2 none), so
    // the list pages twice; the Bowling Green conversation has no Durham neighborhood and is in no ward.
    await page.getByLabel('Ward', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/ward=1/);
    await expect.poll(async () => Number(((await count.textContent()) ?? '').replace(/\D/g, ''))).toBeLessThan(all);
    const places = await page.locator('.concern-item p .muted').allInnerTexts();
    expect(places.length).toBeGreaterThan(0);
    for (const text of places) expect(text).toContain('Ward 1');
    expect(await page.locator('.concern-item').count()).toBe(20);
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => page.locator('.concern-item').count()).toBe(40);
    await expectAccessible('concerns');
  });

  it('lets staff align a concern and shows it on the initiative page and the concern page', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/sign-in`);
    await page.getByLabel('Sign-in token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as STAFF.').waitFor();

    await page.goto(`${web.webUrl}/#/concerns/${concern.id}`);
    await page.getByRole('heading', { name: 'Align this concern' }).waitFor();
    const target = page.getByLabel('Initiative / Resource');
    await target.locator(`option[value="i:${initiative.id}"]`).waitFor({ state: 'attached' });
    await target.selectOption(`i:${initiative.id}`);
    await page.getByLabel('Why they meet').fill('The initiative works on exactly this.');
    await page.getByRole('button', { name: 'Align', exact: true }).click();
    await page.getByText('Aligned.').waitFor();

    const suggestion = page.getByRole('button', { name: /^Align with / }).first();
    const hasSuggestion = (await suggestion.count()) > 0;
    if (hasSuggestion) {
      await suggestion.click();
    } else {
      const resource = await target.locator('option[value^="s:"]').first().getAttribute('value');
      await target.selectOption(resource as string);
      await page.getByLabel('Why they meet').fill('This service helps.');
      await page.getByRole('button', { name: 'Align', exact: true }).click();
    }
    await page.locator('section.resources .service-card').first().waitFor();

    await page.goto(`${web.webUrl}/#/initiatives/${initiative.id}`);
    await page.locator('section.concerns').getByRole('link', { name: concern.summary }).waitFor();
    await expectAccessible('initiative');
    await page.getByLabel('Status', { exact: true }).selectOption('ON_HOLD');
    await page.getByLabel('Public note').fill('Paused while the budget is reviewed.');
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('Status saved.').waitFor();
    await page.locator('ol.timeline').getByText('Paused while the budget is reviewed.').waitFor();
    await page.getByLabel('Period (YYYY or YYYY-MM)').fill('2030');
    await page.getByLabel('Value', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByText('Observation recorded.').waitFor();
    // The cache updates the measure's series on the page without a reload.
    await page
      .locator('figure.measure td', { hasText: /^2030$/ })
      .first()
      .waitFor({ state: 'attached' });

    // The public view of the concern, in one query across the three subgraphs.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${web.webUrl}/#/concerns/${concern.id}`);
    await page.getByRole('heading', { level: 2, name: concern.summary }).waitFor();
    await page
      .locator('section.initiatives')
      .getByRole('link', { name: new RegExp(initiative.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
      .waitFor();
    expect(await page.locator('section.resources .service-card').count()).toBeGreaterThan(0);
    expect(await page.locator('section.resources .service-card').first().textContent()).toMatch(/Provided by /);
    await expectAccessible('concern');
  });

  it('lets staff answer a concern from its page, and the public timeline shows the answer in both languages', async () => {
    const { page } = web;
    const { concerns } = await web.query<{ concerns: { edges: { node: { id: string; summary: string } }[] } }>(
      `{ concerns(first: 5, orderBy: MOST_SUPPORTED, filter: { aligned: false }) { edges { node { id summary } } } }`,
    );
    const other = concerns.edges.map((e) => e.node).find((c) => c.id !== concern.id) as typeof concern;
    expect(other).toBeDefined();
    const statusOf = async (id: string) =>
      (await web.query<{ concern: { status: string } }>(`query($id: ID!) { concern(id: $id) { status } }`, { id }))
        .concern.status;
    const history = page.locator('section[aria-labelledby="concern-history"]');
    const answer = async (status: string, note: string, translation?: string) => {
      await page.getByLabel('New status').selectOption(status);
      await page.getByLabel('Public note', { exact: true }).fill(note);
      if (translation) await page.getByLabel(/^The same note in Spanish/).fill(translation);
      await page.getByRole('button', { name: 'Publish answer' }).click();
      await history.getByText(note).waitFor();
    };
    /** Staff walk the concern on to IN_PROGRESS through the panel, one allowed step at a time. */
    const walkToInProgress = async (id: string) => {
      const steps: Record<string, [string, string][]> = {
        NEW: [
          ['UNDER_REVIEW', 'Under review by the city.'],
          ['ALIGNED', 'Matched with the plan.'],
        ],
        UNDER_REVIEW: [['ALIGNED', 'Matched with the plan.']],
        ALIGNED: [],
      };
      for (const [status, note] of steps[await statusOf(id)] ?? []) await answer(status, `${note} (${id.slice(0, 8)})`);
      await answer('IN_PROGRESS', `Work has started (${id.slice(0, 8)}).`);
    };
    await page.goto(`${web.webUrl}/#/sign-in`);
    await page.getByLabel('Sign-in token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as STAFF.').waitFor();

    // An alignment's rationale is public.
    await page.goto(`${web.webUrl}/#/concerns/${other.id}`);
    await page.getByRole('heading', { name: 'Answer this concern' }).waitFor();
    const target = page.getByLabel('Initiative / Resource');
    await target.locator(`option[value="i:${initiative.id}"]`).waitFor({ state: 'attached' });
    await target.selectOption(`i:${initiative.id}`);
    await page.getByLabel('Why they meet').fill('Both are about this very street.');
    await page.getByRole('button', { name: 'Align', exact: true }).click();
    await page.getByText('Aligned.').waitFor();
    await page.locator('section.initiatives').getByText('Why they meet: Both are about this very street.').waitFor();

    // Addressed without public evidence (no aligned service, no date the city acted) is refused, in words.
    await walkToInProgress(other.id);
    await page.getByLabel('New status').selectOption('ADDRESSED');
    await page.getByLabel('Public note', { exact: true }).fill('Done.');
    await page.getByRole('button', { name: 'Publish answer' }).click();
    await page
      .getByRole('alert')
      .getByText(/Addressed needs evidence the public can see/)
      .waitFor();
    expect(await statusOf(other.id)).toBe('IN_PROGRESS');

    // Staff can remove the alignment again.
    await page.getByRole('button', { name: `Remove alignment with ${initiative.code} ${initiative.title}` }).click();
    await page.getByText('Alignment removed.').waitFor();
    await page.locator('section.initiatives').getByText('No initiative is aligned with this concern yet.').waitFor();

    // A half-written note stays with its concern: the form on the next concern starts empty.
    await page.getByLabel('Public note', { exact: true }).fill('Half-written note for another concern');
    await page.goto(`${web.webUrl}/#/concerns/${concern.id}`);
    await page.getByRole('heading', { level: 2, name: concern.summary }).waitFor();
    await expect.poll(() => page.getByLabel('Public note', { exact: true }).inputValue()).toBe('');

    // The concern aligned with a service earlier has public evidence: staff answer it in both languages.
    await walkToInProgress(concern.id);
    await page.getByLabel('Language of the public note').selectOption('en');
    await answer(
      'ADDRESSED',
      'The city repaved the sidewalk in October.',
      'La ciudad repavimentó la acera en octubre.',
    );
    await page.getByText('Answer published.').waitFor();
    expect(await statusOf(concern.id)).toBe('ADDRESSED');
    await expectAccessible('concern-answer');

    // The public page: the whole history, the answer in the reader's language.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${web.webUrl}/#/concerns/${concern.id}`);
    await history.getByText('The city repaved the sidewalk in October.').waitFor();
    expect(await history.textContent()).not.toContain('The city has not responded yet.');
    expect(await history.locator('li').count()).toBeGreaterThan(1);
    await history.locator('li', { hasText: 'The city repaved' }).getByText('Addressed').waitFor();
    expect(await page.getByRole('heading', { name: 'Answer this concern' }).count()).toBe(0);
    await expectAccessible('concern-timeline');
    await page.getByRole('button', { name: 'Español' }).click();
    await history.getByText('La ciudad repavimentó la acera en octubre.').waitFor();
    await history.locator('li', { hasText: 'La ciudad repavimentó' }).getByText('Atendida').waitFor();
    expect(await history.textContent()).not.toContain('The city repaved');
    expect(await history.locator('li', { hasText: 'La ciudad repavimentó' }).textContent()).not.toContain(
      'Traducción automática',
    );
    await expectAccessible('concern-timeline-es');
    await page.getByRole('button', { name: 'English' }).click();
    // Eight answers and three axe audits: longer than the default minute on a loaded 2-core machine.
  }, 120_000);

  it('previews a conversation CSV, reports the bad row before anything is saved, then saves, reviews and publishes', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/sign-in`);
    await page.getByLabel('Sign-in token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${web.webUrl}/#/staff/upload`);
    await page.getByLabel('Title').fill('Browser test conversation');
    await page.getByLabel('Held on').fill('2026-11-01');
    const csv = [
      'summary,detail,themes,language,neighborhood,supportCount',
      'Sidewalks on Main Street are broken,,INFRASTRUCTURE,en,,4',
      ',missing summary,HOUSING;NOT_A_THEME,en,,x',
      'Más luz en el parque,,PARKS_RECREATION,es,,2',
    ].join('\n');
    await page.getByLabel('Concerns from a CSV file', { exact: true }).setInputFiles({
      name: 'concerns.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByText('Preview: 2 rows ready, 1 rows with errors').first().waitFor();
    const bad = page.locator('tr[data-row="3"]');
    expect(await bad.textContent()).toMatch(/summary is required/);
    expect(await bad.textContent()).toMatch(/unknown theme "NOT_A_THEME"/);
    expect(await bad.textContent()).toMatch(/supportCount must be a whole number/);
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText('Fix the rows with errors before saving.').waitFor();
    await expectAccessible('upload');
    const { conversations } = await web.query<{ conversations: { totalCount: number } }>(
      `{ conversations(filter: { search: "Browser test conversation" }) { totalCount } }`,
      {},
      token,
    );
    expect(conversations.totalCount).toBe(0);

    await page.getByLabel('Concerns from a CSV file', { exact: true }).setInputFiles({
      name: 'concerns-fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        csv.replace(',missing summary,HOUSING;NOT_A_THEME,en,,x', 'Rent is rising fast,,HOUSING,en,,7'),
      ),
    });
    await page.getByText('Preview: 3 rows ready, 0 rows with errors').first().waitFor();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText('Saved as a draft with 3 concerns.').waitFor();
    const saved = await web.query<{
      conversations: { edges: { node: { status: string; concerns: { language: string }[] } }[] };
    }>(
      `{ conversations(filter: { search: "Browser test conversation" }) { edges { node { status concerns { language } } } } }`,
      {},
      token,
    );
    expect(saved.conversations.edges[0]?.node.status).toBe('DRAFT');
    expect(saved.conversations.edges[0]?.node.concerns.map((c) => c.language).sort()).toEqual(['en', 'en', 'es']);

    // Review: accept each concern, then publish; the concerns become public.
    await page.getByRole('link', { name: 'Review it' }).click();
    const draft = page.locator('article', { has: page.getByRole('heading', { name: /Browser test conversation/ }) });
    await draft.waitFor();
    for (const summary of ['Sidewalks on Main Street are broken', 'Rent is rising fast', 'Más luz en el parque']) {
      await draft.getByRole('button', { name: `Accept: ${summary}` }).click();
      await expect.poll(() => draft.getByRole('button', { name: `Accept: ${summary}` }).isDisabled()).toBe(true);
    }
    // Publishing shows what the public will see and asks for confirmation first.
    await draft.getByRole('button', { name: 'Preview and publish' }).click();
    await draft.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();
    const published = await web.query<{ concerns: { totalCount: number } }>(
      `{ concerns(filter: { search: "Rent rising" }) { totalCount } }`,
    );
    expect(published.concerns.totalCount).toBeGreaterThan(0);

    await page.goto(`${web.webUrl}/#/staff/equity`);
    await page.getByTestId('equity-gap-table').waitFor();
    await expectAccessible('equity');
    const rows = await page.locator('tbody tr').count();
    await page.getByLabel('Ward', { exact: true }).selectOption('2');
    await expect.poll(() => page.locator('tbody tr').count()).toBeLessThan(rows);
  });

  it('lists resources in the directory and finds them by text', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/resources`);
    await page.locator('.service-card').first().waitFor();
    const before = await page.locator('.service-card').count();
    await page.getByLabel('Search resources').fill('English classes');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('.service-card').count()).toBeLessThan(before);
    expect((await page.locator('.service-card').first().textContent()) ?? '').toMatch(/English/i);
    await expectAccessible('resources');
  });

  it('switches the interface to Spanish with dates and numbers per locale', async () => {
    const { page } = web;
    await page.goto(`${web.webUrl}/#/concerns/${concern.id}`);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Iniciativas que la atienden' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    // Dates follow the interface language (Intl): "2 feb 2018" rather than "Feb 2, 2018".
    expect((await page.locator('dl.facts').textContent()) ?? '').toMatch(/\d{1,2} [a-z]{3,4}\.? \d{4}/);
    await page.getByRole('link', { name: 'Plan estratégico' }).click();
    await page.getByRole('heading', { level: 3, name: /^Meta 1:/ }).waitFor();
    // The plan's text is shown in Spanish; a machine translation says so.
    await page.getByText('Traducción automática').first().waitFor();
    await expectAccessible('plan-es');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('empties the upload form after a save, files concerns under the conversation neighborhood, and translates review chips', async () => {
    const { page } = web;
    await signIn();
    await page.goto(`${web.webUrl}/#/staff/upload`);
    const title = 'Neighborhood upload test';
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Held on').fill('2026-10-15');
    const neighborhood = page.getByLabel('Neighborhood', { exact: true });
    await neighborhood.locator('option').nth(1).waitFor({ state: 'attached' });
    const neighborhoodId = (await neighborhood.locator('option').nth(1).getAttribute('value')) as string;
    await neighborhood.selectOption(neighborhoodId);
    const first = page.getByRole('group', { name: 'Concern 1' });
    await first.getByLabel('Summary').fill('Streetlights are out on our block');
    await first.getByLabel('Detail').fill('Three lights have been dark since September.');
    await first.getByLabel('Supporters').fill('6');
    await first.getByRole('checkbox', { name: 'Infrastructure' }).check();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText('Saved as a draft with 1 concern.').waitFor();
    // The form starts again: a second click cannot store the same conversation twice.
    expect(await page.getByLabel('Title').inputValue()).toBe('');
    expect(await first.getByLabel('Summary').inputValue()).toBe('');
    expect(await page.getByLabel('Neighborhood', { exact: true }).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    const stored = await web.query<{
      conversations: {
        totalCount: number;
        edges: {
          node: {
            concerns: {
              neighborhoodId: string | null;
              themes: string[];
              supportCount: number;
              detail: string | null;
            }[];
          };
        }[];
      };
    }>(
      `query($q: String!) { conversations(filter: { search: $q }) { totalCount edges { node { concerns { neighborhoodId themes supportCount detail } } } } }`,
      { q: title },
      token,
    );
    expect(stored.conversations.totalCount).toBe(1);
    expect(stored.conversations.edges[0]?.node.concerns).toEqual([
      {
        neighborhoodId,
        themes: ['INFRASTRUCTURE'],
        supportCount: 6,
        detail: 'Three lights have been dark since September.',
      },
    ]);

    await page.getByRole('link', { name: 'Review it' }).click();
    const draft = page.locator('article', { has: page.getByRole('heading', { name: new RegExp(title) }) });
    await draft.getByText('Moderation: Pending').waitFor();
    await draft.getByRole('button', { name: 'Accept: Streetlights are out on our block' }).click();
    await draft.getByText('Moderation: Accepted').waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await draft.getByText('Moderación: Aceptada').waitFor();
    expect(await draft.textContent()).not.toContain('ACCEPTED');
    await expectAccessible('review-es');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('shows a measure without a target as its value alone, and periods as dates in the interface language', async () => {
    const { page } = web;
    // One goal per request, as the dashboard asks: all goals at once exceed the gateway's cost limit.
    const keyMeasures: { target: number | null; latest: { period: string | null } | null }[] = [];
    for (const goalNumber of [1, 2, 3, 4, 5]) {
      const { goal } = await web.query<{
        goal: { initiatives: { measures: { target: number | null; latest: { period: string | null } | null }[] }[] };
      }>(`query($n: Int!) { goal(number: $n) { initiatives { measures { target latest { period } } } } }`, {
        n: goalNumber,
      });
      keyMeasures.push(...goal.initiatives.flatMap((i) => i.measures.slice(0, 1)));
    }
    expect(keyMeasures.some((m) => m.target == null && m.latest)).toBe(true);
    expect(keyMeasures.some((m) => /^\d{4}-\d{2}/.test(m.latest?.period ?? ''))).toBe(true);
    await page.goto(`${web.webUrl}/#/`);
    await page.getByRole('heading', { level: 3, name: /^Goal 5:/ }).waitFor();
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    const figures = page.locator('.initiative-card figure.measure');
    let withoutTarget = 0;
    for (const figure of await figures.all()) {
      const hasTarget = /\bTarget\b/.test((await figure.textContent()) ?? '');
      if (hasTarget) continue;
      withoutTarget++;
      // Its latest value (and at most a sparkline of its series), never a bar that looks nearly full.
      expect(await figure.locator('rect.bar').count()).toBe(0);
      expect(await figure.locator('.measure-value, .muted').count()).toBeGreaterThan(0);
    }
    expect(withoutTarget).toBeGreaterThan(0);
    const isoPeriod = /\b\d{4}-\d{2}\b/;
    for (const text of await figures.allTextContents()) expect(text).not.toMatch(isoPeriod);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 3, name: /^Meta 5:/ }).waitFor();
    for (const text of await figures.allTextContents()) expect(text).not.toMatch(isoPeriod);
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('names every page in the title, has a favicon and a footer, and signs staff in to the staff home', async () => {
    const { page } = web;
    const missing: string[] = [];
    const onResponse = (response: { status(): number; url(): string }) => {
      if (response.status() === 404) missing.push(response.url());
    };
    page.on('response', onResponse);
    try {
      const titles = new Map<string, string>();
      for (const route of [
        '#/',
        '#/concerns',
        `#/concerns/${concern.id}`,
        `#/initiatives/${initiative.id}`,
        '#/resources',
        '#/sign-in',
        '#/privacy',
        '#/accessibility',
      ]) {
        await page.goto(`${web.webUrl}/${route}`);
        await page.locator('main h2').first().waitFor();
        await expect.poll(() => page.title()).not.toBe('Civic Graph');
        if (route.includes(concern.id)) await expect.poll(() => page.title()).toContain(concern.summary);
        titles.set(route, await page.title());
      }
      expect(new Set(titles.values()).size).toBe(titles.size);
      expect(titles.get('#/concerns')).toBe('Concerns residents raised · Civic Graph');
      await page.goto(`${web.webUrl}/#/concerns`);
      await page.getByRole('button', { name: 'Español' }).click();
      await expect.poll(() => page.title()).toBe('Inquietudes de los residentes · Civic Graph');
      await page.getByRole('button', { name: 'English' }).click();

      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      expect((await page.request.get(new URL(icon as string, web.webUrl).href)).status()).toBe(200);

      // Residents' navigation has no staff entry; the footer has the city, its contact and statements.
      expect(await page.getByRole('navigation').getByText('Staff sign-in').count()).toBe(0);
      const footer = page.getByRole('contentinfo');
      await footer.getByText('City of Durham').waitFor();
      await footer.getByRole('link', { name: '919-560-1200' }).waitFor();
      await footer.getByRole('link', { name: 'Accessibility statement' }).click();
      await page.getByRole('heading', { level: 2, name: 'Accessibility statement' }).waitFor();
      await footer.getByRole('link', { name: 'Privacy' }).click();
      await page.getByRole('heading', { level: 2, name: 'Privacy' }).waitFor();
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { level: 2, name: 'Privacidad' }).waitFor();
      await footer.getByRole('link', { name: 'Declaración de accesibilidad' }).waitFor();
      await expectAccessible('privacy-es');
      await page.getByRole('button', { name: 'English' }).click();

      // Sign-in: no developer instructions for the public, and on to the staff home.
      await footer.getByRole('link', { name: 'Staff sign-in' }).click();
      await page.getByLabel('Sign-in token').waitFor();
      expect(await page.locator('main').textContent()).not.toContain('npm run');
      await page.getByLabel('Sign-in token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/#\/staff$/);
      await page.getByRole('heading', { level: 2, name: 'Staff home' }).waitFor();
      await page.getByText('Signed in as STAFF.').waitFor();
      await page.getByRole('link', { name: 'Review and publish' }).first().waitFor();
      expect(await page.title()).toBe('Staff home · Civic Graph');
      await expectAccessible('staff-home');
      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(missing).toEqual([]);
    } finally {
      page.off('response', onResponse);
    }
  });

  it('puts concerns before the filters on a phone, sorts them, dates them and counts them in words', async () => {
    const { page } = web;
    const { concerns } = await web.query<{ concerns: { edges: { node: { summary: string } }[] } }>(
      `{ concerns(first: 10, orderBy: MOST_SUPPORTED) { edges { node { summary } } } }`,
    );
    let single: string | undefined;
    for (const { node } of concerns.edges) {
      const found = await web.query<{ concerns: { totalCount: number } }>(
        `query($q: String!) { concerns(filter: { search: $q }) { totalCount } }`,
        { q: node.summary },
      );
      if (found.concerns.totalCount === 1) {
        single = node.summary;
        break;
      }
    }
    expect(single).toBeDefined();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${web.webUrl}/#/concerns`);
      const firstConcern = page.locator('.concern-item').first();
      await firstConcern.waitFor();
      expect((await firstConcern.boundingBox())?.y ?? Infinity).toBeLessThan(844);
      expect(await page.getByLabel('Search text').isVisible()).toBe(false);
      await page.getByText('Filters and map').click();
      await page.getByLabel('Search text').waitFor();
      expect(await firstConcern.textContent()).toMatch(/recorded [A-Z][a-z]{2} \d{1,2}, \d{4}/);
      await expectAccessible('concerns-phone');

      await page.getByLabel('Sort by').selectOption('MOST_SUPPORTED');
      await page.waitForURL(/sort=MOST_SUPPORTED/);
      const supporters = async () =>
        (await page.locator('.concern-item p .muted').allInnerTexts()).map((text) =>
          Number(/([\d,]+) supporters?/.exec(text)?.[1]?.replace(/,/g, '')),
        );
      await expect
        .poll(async () => {
          const counts = await supporters();
          return counts.length > 1 && counts.every((count, index) => index === 0 || count <= (counts[index - 1] ?? 0));
        })
        .toBe(true);

      await page.goto(`${web.webUrl}/#/concerns?q=${encodeURIComponent(single as string)}`);
      await expect.poll(() => page.locator('p.count').first().textContent()).toBe('1 concern');
      await page.getByRole('button', { name: 'Español' }).click();
      await expect.poll(() => page.locator('p.count').first().textContent()).toBe('1 inquietud');
      await page.getByRole('button', { name: 'English' }).click();
      // The next test reloads the page: the choice must be stored by then, not merely clicked.
      await expect.poll(() => page.locator('p.count').first().textContent()).toBe('1 concern');
      await expect.poll(() => page.evaluate(() => localStorage.getItem('civic.locale'))).toBe('en');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('shows what is available and names what is missing when a subgraph is down', async () => {
    const { page } = web;
    // The concern page asks resources only for aligned services: the align test above gave it one.
    const aligned = await web.query<{ concern: { resources: { id: string }[] } }>(
      'query($id: ID!) { concern(id: $id) { resources { id } } }',
      { id: concern.id },
    );
    expect(aligned.concern.resources.length, 'the concern has an aligned service').toBeGreaterThan(0);
    await web.stack.stopSubgraph('resources');
    // The gateway lets browsers keep a public GET answer for 5 s (Cache-Control max-age); an earlier
    // test's dashboard, whole, could still be served from that cache. A resident arriving now has none:
    // the cache is emptied and, as DevTools' "Disable cache" does, left unused for the rest of the test.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.clearBrowserCache');
    onTestFinished(() => cdp.detach());
    await page.goto(`${web.webUrl}/#/`);
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await shown(
      page
        .locator('p.notice:visible', {
          hasText: 'Some information is missing because the resources service is unavailable',
        })
        .first(),
      'the notice naming the resources service',
    );
    await shown(page.locator('.initiative-card').nth(5), 'the sixth initiative card');
    await web.page.screenshot({ path: join(resultsDir, 'plan-resources-down.png'), fullPage: true });
    await page.goto(`${web.webUrl}/#/concerns/${concern.id}`);
    await shown(
      page
        .locator('p.notice:visible', {
          hasText: 'Some information is missing because the resources service is unavailable',
        })
        .first(),
      'the notice naming the resources service',
    );
    // The concern and its initiatives still show; only the resources are missing.
    await shown(page.getByRole('heading', { level: 2, name: concern.summary }), 'the concern heading');
    await shown(page.locator('section.initiatives').getByRole('link').first(), 'a link to an aligned initiative');
    expect(await page.locator('section.resources .service-card').count()).toBe(0);
    await shown(
      page.locator('section.resources').getByText('Not available right now.'),
      'the missing resources section',
    );
    await web.page.screenshot({ path: join(resultsDir, 'concern-resources-down.png'), fullPage: true });
    await page.goto(`${web.webUrl}/#/initiatives/${initiative.id}`);
    await shown(
      page.getByRole('heading', { level: 2, name: new RegExp(`^${initiative.code.replace('.', '\\.')} `) }),
      'the initiative heading',
    );
    await shown(page.locator('section.concerns').getByRole('link', { name: concern.summary }), 'the aligned concern');
    await shown(
      page
        .locator('p.notice:visible', {
          hasText: 'Some information is missing because the resources service is unavailable',
        })
        .first(),
      'the notice naming the resources service',
    );
  });
});
