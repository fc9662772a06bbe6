import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { parse } from 'csv-parse/sync';
import { importConversations } from '../commands/import/conversations.ts';
import { importHsds } from '../commands/import/hsds.ts';
import type { Subcommand } from '../commands/subcommands.ts';
import { withCliEnv } from '../env.ts';
import { connectGateway, type Gateway, GatewayError } from '../gateway-client.ts';
import { graphql } from '../graphql.ts';
import {
  type CurvePoint,
  curveTable,
  FIGURES,
  type GoldConcern,
  type Observed,
  precisionAbstentionCurve,
  type Scores,
  scoreByLanguage,
  scoresTable,
} from './metrics.ts';

const COMMAND = 'eval alignment';

const help = `civic eval alignment — score the alignment engine on a labelled set, through the API of a fresh stack

Usage: npm run civic -- eval alignment <dir> [--out <file.md>]

<dir> holds (see ../shared/data/alignment/README.md for the format):
  directory/        an HSDS 3.0 CSV dataset, imported with its ids (import hsds)
  concerns*.csv     concerns in the staff CSV template, themes blank (import conversations --publish)
  gold-*.json       the labels: "<conversationKey>|<summary>" → themes, services, initiatives, group, language

Starts the built subgraphs and gateway on free ports, each on a new database in a temporary folder
(PGlite, or PostgreSQL when DATABASE_URL is set) with CIVIC_SEED=reference, imports the set,
waits until engagement's alignment queue is empty, reads the concerns back as entered
(conversations(filter: { search }) → concerns) and asks the gateway for themes,
suggestedResources(first: 5), suggestedInitiatives(first: 5) and similarConcerns(first: 5).
Prints theme micro-F1, resource P@3 and nDCG@5, abstention, initiative P@3 and same-issue P@1,
overall and per language. The stack is removed afterwards.

Options:
  --out <file>   also write the figures as Markdown, with the per-concern results as JSON in it

Build first (npm start builds; or civic-bundle in each app). Exit codes: 0 scored, 1 failed, 2 wrong usage.`;

interface CsvConcern {
  key: string;
  conversationKey: string;
  conversationTitle: string;
  summary: string;
}

const CONVERSATIONS = graphql(`
  query EvalConversations($search: String!) {
    conversations(filter: { search: $search }, first: 100) {
      edges {
        node {
          id
          title
          source {
            externalId
          }
          concerns {
            id
            summary
          }
        }
      }
    }
  }
`);

function readGold(dir: string): Record<string, GoldConcern> {
  const files = readdirSync(dir).filter((f) => /^gold-.*\.json$/.test(f));
  if (files.length === 0) throw new Error(`${dir} holds no gold-*.json`);
  return Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))));
}

function concernFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^concerns.*\.csv$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function readConcerns(files: readonly string[]): CsvConcern[] {
  return files.flatMap((file) =>
    (
      parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<
        string,
        string
      >[]
    ).map((row) => ({
      key: `${row.conversationKey}|${row.summary}`,
      conversationKey: row.conversationKey ?? '',
      conversationTitle: row.conversationTitle ?? '',
      summary: row.summary ?? '',
    })),
  );
}

async function concernFields(gateway: Gateway): Promise<Set<string>> {
  const data = await gateway.requestText<{ __type: { fields: { name: string }[] } | null }>(
    '{ __type(name: "Concern") { fields { name } } }',
  );
  return new Set((data.__type?.fields ?? []).map((f) => f.name));
}

/** Until the alignment worker has caught up: no job waiting and (where reported) no concern waiting. */
async function waitForAlignment(gateway: Gateway, statusFields: ReadonlySet<string>, timeoutMs: number) {
  if (!statusFields.has('pendingJobs')) return 'engagement has no alignmentStatus: read at once';
  const fields = ['pendingJobs', ...(statusFields.has('pendingConcerns') ? ['pendingConcerns'] : [])];
  const started = Date.now();
  let pending = -1;
  while (Date.now() - started < timeoutMs) {
    const data = await gateway.requestText<{ alignmentStatus: { pendingJobs: number; pendingConcerns?: number } }>(
      `{ alignmentStatus { ${fields.join(' ')} } }`,
    );
    pending = data.alignmentStatus.pendingJobs + (data.alignmentStatus.pendingConcerns ?? 0);
    if (pending === 0) return `alignment caught up after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the alignment worker still had ${pending} jobs or concerns waiting after ${timeoutMs / 1000} s`);
}

/** The concerns as entered, found again by their conversation (searched by title) and summary. */
async function readBack(gateway: Gateway, concerns: readonly CsvConcern[]): Promise<Map<string, string>> {
  const idByKey = new Map<string, string>();
  const conversations = new Map(concerns.map((c) => [c.conversationKey, c.conversationTitle]));
  for (const [key, title] of conversations) {
    const data = await gateway.request(CONVERSATIONS, { search: title });
    const node = data.conversations.edges.map((e) => e.node).find((n) => n.source.externalId === key);
    if (!node) throw new Error(`conversation ${key} ("${title}") was not found by searching its title`);
    for (const c of node.concerns) idByKey.set(`${key}|${c.summary}`, c.id);
  }
  return idByKey;
}

interface ConcernResult {
  themes?: string[];
  suggestedResources?: { score: number; resource: { id: string } }[] | null;
  suggestedInitiatives?: { initiative: { code: string } }[] | null;
  similarConcerns?: { concern: { id: string } }[] | null;
}

async function observe(
  gateway: Gateway,
  idByKey: ReadonlyMap<string, string>,
  fields: ReadonlySet<string>,
): Promise<{ observed: Observed[]; missing: string[] }> {
  const parts = [
    'themes',
    fields.has('suggestedResources') ? 'suggestedResources(first: 5) { score resource { id } }' : '',
    fields.has('suggestedInitiatives') ? 'suggestedInitiatives(first: 5) { initiative { code } }' : '',
    fields.has('similarConcerns') ? 'similarConcerns(first: 5) { concern { id } }' : '',
  ].filter(Boolean);
  const query = `query ($id: ID!) { concern(id: $id) { ${parts.join(' ')} } }`;
  const keyById = new Map([...idByKey].map(([key, id]) => [id, key]));
  const observed: Observed[] = [];
  for (const [key, id] of idByKey) {
    const { concern } = await gateway.requestText<{ concern: ConcernResult | null }>(query, { id });
    observed.push({
      key,
      themes: concern?.themes ?? [],
      resources: (concern?.suggestedResources ?? []).map((s) => s.resource.id),
      resourceScores: (concern?.suggestedResources ?? []).map((s) => s.score),
      initiatives: (concern?.suggestedInitiatives ?? []).map((s) => s.initiative.code),
      similar: (concern?.similarConcerns ?? []).map((s) => keyById.get(s.concern.id) ?? s.concern.id),
    });
  }
  const missing = ['suggestedResources', 'suggestedInitiatives', 'similarConcerns'].filter((f) => !fields.has(f));
  return { observed, missing };
}

export interface AlignmentEvaluation {
  dir: string;
  seed: string;
  waited: string;
  concerns: number;
  notInGold: string[];
  notFound: string[];
  missingFields: string[];
  scores: { overall: Scores; en: Scores; es: Scores };
  /** P@3 and abstention had the engine's threshold been higher. */
  curve: CurvePoint[];
  observed: Observed[];
}

/** The engine's own threshold (the lowest score it returned), then higher ones up to its best scores. */
function curveCutoffs(observed: readonly Observed[]): number[] {
  const scores = observed.flatMap((o) => o.resourceScores ?? []).sort((a, b) => a - b);
  if (scores.length === 0) return [0];
  const low = scores[0] as number;
  const high = scores[Math.floor(scores.length * 0.9)] as number;
  return Array.from({ length: 8 }, (_, i) => Math.round((low + ((high - low) * i) / 7) * 1000) / 1000);
}

async function start(seed: string): Promise<Stack> {
  // Quality, not speed, is measured here: a whole directory imported in one request on a busy
  // machine may take longer than the gateway's production subgraph timeout.
  return startStack({
    env: { CIVIC_SEED: seed },
    gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '300000' },
    readyTimeoutMs: 300_000,
  });
}

export async function evaluateAlignment(dir: string, log: (line: string) => void): Promise<AlignmentEvaluation> {
  const gold = readGold(dir);
  const files = concernFiles(dir);
  if (files.length === 0) throw new Error(`${dir} holds no concerns*.csv`);
  if (!existsSync(join(dir, 'directory'))) throw new Error(`${dir} has no directory/ (HSDS dataset)`);
  const concerns = readConcerns(files);
  log(`starting a fresh stack (CIVIC_SEED=reference)…`);
  let seed = 'reference';
  let stack: Stack;
  try {
    stack = await start(seed);
  } catch (error) {
    // Before the reference seed mode exists the subgraphs refuse it; the set brings its own data.
    if (!/CIVIC_SEED/.test(String((error as Error).message))) throw error;
    seed = 'none';
    log('this build has no CIVIC_SEED=reference; starting with CIVIC_SEED=none');
    stack = await start(seed);
  }
  try {
    return await withCliEnv({ jwtSecret: stack.jwtSecret }, () =>
      importAndObserve(stack, dir, { gold, files, concerns, seed }, log),
    );
  } finally {
    await stack.destroy();
  }
}

async function importAndObserve(
  stack: Stack,
  dir: string,
  set: { gold: Record<string, GoldConcern>; files: string[]; concerns: CsvConcern[]; seed: string },
  log: (line: string) => void,
): Promise<AlignmentEvaluation> {
  const { gold, files, concerns, seed } = set;
  const url = stack.gatewayUrl;
  if ((await importHsds.run([join(dir, 'directory'), '--gateway', url])) !== 0) {
    throw new Error('the HSDS import failed');
  }
  for (const file of files) {
    if ((await importConversations.run([file, '--publish', '--gateway', url])) !== 0) {
      throw new Error(`the import of ${file} failed`);
    }
  }
  const gateway = await connectGateway({ url });
  const status = await gateway.requestText<{ __type: { fields: { name: string }[] } | null }>(
    '{ __type(name: "AlignmentStatus") { fields { name } } }',
  );
  const waited = await waitForAlignment(
    gateway,
    new Set((status.__type?.fields ?? []).map((f) => f.name)),
    15 * 60_000,
  );
  log(waited);
  const idByKey = await readBack(gateway, concerns);
  const fields = await concernFields(gateway);
  const { observed, missing } = await observe(gateway, idByKey, fields);
  return {
    dir,
    seed,
    waited,
    concerns: observed.length,
    notInGold: observed.filter((o) => !gold[o.key]).map((o) => o.key),
    notFound: concerns.filter((c) => !idByKey.has(c.key)).map((c) => c.key),
    missingFields: missing,
    scores: scoreByLanguage(observed, gold),
    curve: precisionAbstentionCurve(observed, gold, curveCutoffs(observed)),
    observed,
  };
}

export function evaluationMarkdown(e: AlignmentEvaluation, command: string): string {
  const notes = [
    e.missingFields.length > 0 ? `- Not in this build's API (their figures are —): ${e.missingFields.join(', ')}.` : '',
    e.notFound.length > 0 ? `- ${e.notFound.length} concerns of the CSV were not read back.` : '',
    e.notInGold.length > 0 ? `- ${e.notInGold.length} concerns read back have no gold label (not scored).` : '',
  ].filter(Boolean);
  const json = {
    curve: e.curve,
    scores: Object.fromEntries(
      (['overall', 'en', 'es'] as const).map((part) => [
        part,
        Object.fromEntries(FIGURES.map(({ key }) => [key, e.scores[part][key]])),
      ]),
    ),
    observed: e.observed,
  };
  return [
    `# Alignment evaluation: ${e.dir}`,
    '',
    `Command: \`${command}\``,
    '',
    `${e.concerns} concerns read back through the gateway; stack seeded with CIVIC_SEED=${e.seed}; ${e.waited}.`,
    '',
    scoresTable(e.scores),
    '',
    ...notes,
    '',
    '## Precision/abstention curve',
    '',
    'Resource suggestions scoring below a higher threshold dropped (first row: as returned, the engine’s own calibrated threshold).',
    '',
    curveTable(e.curve),
    '',
    '<details><summary>Figures and per-concern results (JSON)</summary>',
    '',
    '```json',
    JSON.stringify(json, null, 1),
    '```',
    '',
    '</details>',
    '',
  ].join('\n');
}

export const evalAlignment: Subcommand = {
  summary: 'score the alignment engine on a labelled set in a fresh stack',
  help,
  async run(args) {
    let parsed: { values: { out?: string }; positionals: string[] };
    try {
      parsed = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
    } catch (error) {
      console.error(`civic ${COMMAND}: ${(error as Error).message}\n\n${help}`);
      return 2;
    }
    const [dirArg, ...extra] = parsed.positionals;
    if (!dirArg || extra.length > 0) {
      console.error(`civic ${COMMAND}: give one folder\n\n${help}`);
      return 2;
    }
    const dir = resolve(dirArg);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      console.error(`civic ${COMMAND}: ${dirArg} is not a folder`);
      return 2;
    }
    try {
      const evaluation = await evaluateAlignment(dir, (line) => console.error(`civic ${COMMAND}: ${line}`));
      console.log(scoresTable(evaluation.scores));
      for (const field of evaluation.missingFields) console.log(`not in this build's API: ${field}`);
      if (parsed.values.out) {
        const command = `npm run civic -- eval alignment ${dirArg} --out ${parsed.values.out}`;
        writeFileSync(resolve(parsed.values.out), evaluationMarkdown(evaluation, command));
        console.log(`wrote ${parsed.values.out}`);
      }
      return 0;
    } catch (error) {
      const message = error instanceof GatewayError ? error.message : (error as Error).message;
      console.error(`civic ${COMMAND}: ${message}`);
      return 1;
    }
  },
};
