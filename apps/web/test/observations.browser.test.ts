import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.ts';
import { devToken, resultsDir, startWebStack, type WebStack } from './harness.ts';

// Observation labels and notes in English and Spanish (issue 19): staff write both versions in the
// observation form; the chart's table and the dashboard's gauge show the reader's language, a machine
// translation labelled, each text marked with its language.
const hasChromium = existsSync('/usr/bin/chromium');
const hasTranslator = existsSync('/usr/bin/apertium');
if (!hasChromium) console.warn('observation browser tests skipped: /usr/bin/chromium is missing');

interface Initiative {
  id: string;
  code: string;
  measures: { id: string; name: string | null; automaticSource: string | null }[];
}

let web: WebStack;
let adminToken: string;
let initiative: Initiative;

beforeAll(async () => {
  if (!hasChromium) return;
  // Subgraphs shared with the other web files that share theirs; this file's own gateway, build and browser.
  web = await startWebStack({ shareSubgraphs: true });
  adminToken = devToken(web.stack.jwtSecret, { sub: 'observation-form-test', role: 'ADMIN' });
  const { initiatives } = await web.query<{ initiatives: Initiative[] }>(
    '{ initiatives { id code measures { id name automaticSource } } }',
  );
  // An initiative whose key measure (the one its dashboard card shows) staff enter by hand.
  const found = initiatives.find((i) => i.measures[0] && !i.measures[0].automaticSource && i.measures[0].name);
  if (!found) throw new Error('the demo plan has no initiative whose key measure is entered by hand');
  initiative = found;
}, 600_000);

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  await web.page.screenshot({ path: join(resultsDir, 'failed-observations.png'), fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await web?.close();
});

async function setLanguage(page: Page, name: 'English' | 'Español') {
  await page.getByRole('button', { name }).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(name === 'English' ? 'en' : 'es');
}

async function expectAccessible(page: Page, name: string) {
  const violations = await seriousViolations(page);
  await page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

const LABEL = 'Autumn count at the branches';
const LABEL_ES = 'Recuento de otoño en las sucursales';
const NOTE = 'Counted at the three branch libraries.';

describe.skipIf(!hasChromium)('observation labels and notes', () => {
  it('staff record an observation with its Spanish label; the form empties; charts and gauges show each language', async () => {
    const { page } = web;
    const measure = initiative.measures[0] as Initiative['measures'][number];
    await page.goto(`${web.webUrl}/#/sign-in`);
    await page.getByLabel('Sign-in token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as ADMIN.').waitFor();
    await page.goto(`${web.webUrl}/#/initiatives/${initiative.id}`);
    const form = page.getByRole('form', { name: 'Record an observation' });
    await form.waitFor();
    await form.getByLabel('Measure').selectOption(measure.id);
    await form.getByLabel('Period (YYYY or YYYY-MM)').fill('2026-10');
    await form.getByLabel('Value', { exact: true }).fill('42');
    await form.getByLabel('Label in English (how the source names the value)').fill(LABEL);
    await form.getByLabel('Label in Spanish').fill(LABEL_ES);
    await form.getByLabel('Note in English').fill(NOTE);
    expect(await form.getByLabel('Label in Spanish').getAttribute('lang')).toBe('es');
    await expectAccessible(page, 'observation-form');
    await form.getByRole('button', { name: 'Record' }).click();
    await form.getByText('Observation recorded.').waitFor();
    // Nothing of the recorded value is left to be sent twice.
    for (const field of [
      'Period (YYYY or YYYY-MM)',
      'Label in English (how the source names the value)',
      'Note in English',
    ]) {
      expect(await form.getByLabel(field).inputValue()).toBe('');
    }
    const { measure: stored } = await web.query<{
      measure: { observations: { period: string | null; label: string; labelEs: string; note: string }[] };
    }>('query ($id: ID!) { measure(id: $id) { observations { period label labelEs: label(language: "es") note } } }', {
      id: measure.id,
    });
    expect(stored.observations.find((o) => o.period === '2026-10')).toEqual({
      period: '2026-10',
      label: LABEL,
      labelEs: LABEL_ES,
      note: NOTE,
    });

    // The chart's table, in English: the texts as written, marked English.
    const chart = page.locator('.measure-chart').first();
    await chart.locator('summary').click();
    const row = chart.locator('tr', { hasText: LABEL });
    await row.waitFor();
    expect(await row.locator('[lang="en"]', { hasText: NOTE }).count()).toBe(1);

    // The note is machine-translated in the background; in Spanish it shows labelled, the label as staff wrote it.
    let noteEs = NOTE;
    if (hasTranslator) {
      await expect
        .poll(
          async () => {
            const { measure: m } = await web.query<{
              measure: { observations: { period: string | null; note: string | null }[] };
            }>('query ($id: ID!) { measure(id: $id) { observations { period note(language: "es") } } }', {
              id: measure.id,
            });
            noteEs = m.observations.find((o) => o.period === '2026-10')?.note ?? NOTE;
            return noteEs;
          },
          { timeout: 120_000, interval: 2_000 },
        )
        .not.toBe(NOTE);
    }
    await setLanguage(page, 'Español');
    try {
      await page.reload();
      const chartEs = page.locator('.measure-chart').first();
      await chartEs.locator('summary').click();
      const rowEs = chartEs.locator('tr', { hasText: LABEL_ES });
      await rowEs.waitFor();
      const label = rowEs.locator('[lang="es"]', { hasText: LABEL_ES });
      expect(await label.textContent()).toBe(LABEL_ES);
      if (hasTranslator) {
        const note = rowEs.locator('[lang="es"]', { hasText: noteEs });
        expect(await note.textContent()).toBe(`${noteEs} (Traducción automática)`);
        // The label names the original it was made from.
        expect(await note.locator('.content-lang').getAttribute('title')).toBe(NOTE);
      }
      expect(await chartEs.locator('th', { hasText: 'Como lo nombra la fuente, y notas' }).count()).toBe(1);
      await expectAccessible(page, 'observation-chart-es');

      // The dashboard's gauge shows the key measure's latest value with its label and note, in Spanish.
      await page.goto(`${web.webUrl}/#/`);
      const gauge = page.locator('.initiative-card', { has: page.locator(`a[href="#/initiatives/${initiative.id}"]`) });
      const texts = gauge.locator('.measure-gauge .observation-note');
      await texts.waitFor();
      expect(await texts.locator('[lang="es"]', { hasText: LABEL_ES }).count()).toBe(1);
      if (hasTranslator) {
        expect(await texts.textContent()).toBe(`${LABEL_ES} · ${noteEs} (Traducción automática)`);
      }
      await expectAccessible(page, 'observation-gauge-es');
    } finally {
      await setLanguage(page, 'English');
    }
    const gaugeEn = page.locator('.initiative-card', { has: page.locator(`a[href="#/initiatives/${initiative.id}"]`) });
    await gaugeEn.locator('.measure-gauge .observation-note [lang="en"]', { hasText: LABEL }).waitFor();
  }, 300_000);
});
