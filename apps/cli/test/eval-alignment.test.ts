import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { scoreByLanguage } from '../src/eval/metrics.ts';
import { civic } from './import-helpers.ts';

const FIXTURE = new URL('./fixtures/alignment-tiny', import.meta.url).pathname;
const S = {
  evictionClinic: '6f1c2a10-0000-4000-8000-0000000000a1',
  walltownRepair: '6f1c2a10-0000-4000-8000-0000000000a2',
  closedFund: '6f1c2a10-0000-4000-8000-0000000000a3',
};

describe('civic eval alignment', () => {
  const out = mkdtempSync(join(tmpdir(), 'civic-eval-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('wrong usage exits 2', async () => {
    expect((await civic(['eval', 'alignment'])).code).toBe(2);
    expect((await civic(['eval', 'alignment', join(out, 'missing')])).code).toBe(2);
  });

  test('loads a tiny labelled set into a fresh stack and scores what the API answers, per language', async () => {
    const file = join(out, 'tiny.md');
    const run = await civic(['eval', 'alignment', FIXTURE, '--out', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\| Resource P@3 \| [0-9.]+ \(n=3\) \| [0-9.]+ \(n=2\) \| [0-9.]+ \(n=1\) \|/);
    expect(run.stdout).toMatch(/\| Abstention \| [0-9.]+ \(n=2\) \|/);

    const markdown = readFileSync(file, 'utf8');
    const json = JSON.parse(markdown.slice(markdown.indexOf('```json') + 7, markdown.lastIndexOf('```')));
    const observed = json.observed as { key: string; resources: string[]; initiatives: string[] }[];
    expect(observed).toHaveLength(5);
    const of = (prefix: string) => observed.find((o) => o.key.startsWith(prefix)) as (typeof observed)[number];
    // The set's own rules, through the real stack: the area, the status, a question nothing answers.
    expect(of('tiny-walltown|My roof').resources).toContain(S.walltownRepair);
    expect(of('tiny-hayti|The roof').resources).not.toContain(S.walltownRepair);
    expect(of('tiny-hayti|City council').resources).toEqual([]);
    for (const o of observed) expect(o.resources).not.toContain(S.closedFund);
    expect(of('tiny-walltown|El dueño').resources).toContain(S.evictionClinic);

    // The printed figures are the metric arithmetic over the answers recorded beside them.
    const gold = JSON.parse(readFileSync(join(FIXTURE, 'gold-tiny.json'), 'utf8'));
    const again = scoreByLanguage(json.observed, gold);
    expect(json.scores.overall.resourceP3).toEqual(again.overall.resourceP3);
    expect(json.scores.es.abstention).toEqual(again.es.abstention);
    expect(again.overall.abstention.value).toBe(
      [of('tiny-hayti|The roof'), of('tiny-hayti|City council')].filter((o) => o.resources.length === 0).length / 2,
    );
  }, 900_000);
});
