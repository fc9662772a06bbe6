/**
 * The alignment figures exactly as the development set's README defines them
 * (../shared/data/alignment/README.md, beside the repository): pure arithmetic over what the API returned and the gold labels.
 */

export interface GoldConcern {
  themes: string[];
  /** Service id → grade (2 = where a staffer would send the resident, 1 = partial help). */
  services: Record<string, number>;
  initiatives: string[];
  group: string | null;
  language: string;
}

export interface Observed {
  key: string;
  themes: string[];
  /** Service ids of `suggestedResources(first: 5)`, in order. */
  resources: string[];
  /** Their scores, in the same order (for the precision/abstention curve). */
  resourceScores?: number[];
  /** Initiative codes of `suggestedInitiatives(first: 5)`, in order. */
  initiatives: string[];
  /** Keys of `similarConcerns(first: 5)`, in order. */
  similar: string[];
}

export interface Figure {
  value: number | null;
  /** How many concerns the figure is over. */
  n: number;
}

export interface Scores {
  themeF1: Figure;
  resourceP3: Figure;
  resourceNdcg5: Figure;
  abstention: Figure;
  initiativeP3: Figure;
  sameIssueP1: Figure;
}

export const FIGURES: { key: keyof Scores; label: string }[] = [
  { key: 'themeF1', label: 'Theme micro-F1' },
  { key: 'resourceP3', label: 'Resource P@3' },
  { key: 'resourceNdcg5', label: 'Resource nDCG@5' },
  { key: 'abstention', label: 'Abstention' },
  { key: 'initiativeP3', label: 'Initiative P@3' },
  { key: 'sameIssueP1', label: 'Same-issue P@1' },
];

const mean = (values: number[]): Figure => ({
  value: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null,
  n: values.length,
});

/** Relevant items among the top 3, divided by min(3, number relevant). */
export function precisionAt3(ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const hits = ranked.slice(0, 3).filter((id) => relevant.has(id)).length;
  return hits / Math.min(3, relevant.size);
}

/** nDCG@5 with gain 2^grade − 1 and a log2(rank + 1) discount; the ideal ranks the gold grades high to low. */
export function ndcgAt5(ranked: readonly string[], grades: Readonly<Record<string, number>>): number {
  const dcg = (gains: number[]) => gains.slice(0, 5).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(
    Object.values(grades)
      .filter((g) => g > 0)
      .sort((a, b) => b - a),
  );
  return ideal > 0 ? dcg(ranked.map((id) => grades[id] ?? 0)) / ideal : 0;
}

export function score(observed: readonly Observed[], gold: Readonly<Record<string, GoldConcern>>): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const p3: number[] = [];
  const ndcg: number[] = [];
  const abstained: number[] = [];
  const initiativeP3: number[] = [];
  const sameIssue: number[] = [];
  for (const o of observed) {
    const g = gold[o.key];
    if (!g) continue;
    const goldThemes = new Set(g.themes);
    const got = new Set(o.themes);
    for (const t of got)
      if (goldThemes.has(t)) tp++;
      else fp++;
    for (const t of goldThemes) if (!got.has(t)) fn++;

    const relevant = new Set(
      Object.entries(g.services)
        .filter(([, grade]) => grade > 0)
        .map(([id]) => id),
    );
    if (relevant.size > 0) {
      p3.push(precisionAt3(o.resources, relevant));
      ndcg.push(ndcgAt5(o.resources, g.services));
    } else abstained.push(o.resources.length === 0 ? 1 : 0);

    if (g.initiatives.length > 0) initiativeP3.push(precisionAt3(o.initiatives, new Set(g.initiatives)));

    if (g.group) {
      const top = o.similar[0];
      sameIssue.push(top !== undefined && gold[top]?.group === g.group ? 1 : 0);
    }
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const themed = observed.filter((o) => gold[o.key]).length;
  return {
    themeF1: {
      value: themed === 0 ? null : precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      n: themed,
    },
    resourceP3: mean(p3),
    resourceNdcg5: mean(ndcg),
    abstention: mean(abstained),
    initiativeP3: mean(initiativeP3),
    sameIssueP1: mean(sameIssue),
  };
}

/** Overall and per language (en, es), by the gold `language`. */
export function scoreByLanguage(
  observed: readonly Observed[],
  gold: Readonly<Record<string, GoldConcern>>,
): { overall: Scores; en: Scores; es: Scores } {
  const of = (language: string) => observed.filter((o) => gold[o.key]?.language === language);
  return { overall: score(observed, gold), en: score(of('en'), gold), es: score(of('es'), gold) };
}

const fmt = (f: Figure) => (f.value === null ? '—' : f.value.toFixed(3));

export function scoresTable(scores: { overall: Scores; en: Scores; es: Scores }): string {
  const rows = FIGURES.map(
    ({ key, label }) =>
      `| ${label} | ${fmt(scores.overall[key])} (n=${scores.overall[key].n}) | ${fmt(scores.en[key])} (n=${scores.en[key].n}) | ${fmt(scores.es[key])} (n=${scores.es[key].n}) |`,
  );
  return ['| figure | overall | en | es |', '|---|---|---|---|', ...rows].join('\n');
}

export interface CurvePoint {
  /** Suggestions scoring below this are dropped. */
  minScore: number;
  resourceP3: number | null;
  abstention: number | null;
  /** Share of concerns with a relevant service that still get a suggestion. */
  coverage: number | null;
}

/**
 * What a higher threshold than the engine's would give: every suggestion scoring below `minScore`
 * dropped, then P@3 and abstention as above. The engine's own threshold is the first row.
 */
export function precisionAbstentionCurve(
  observed: readonly Observed[],
  gold: Readonly<Record<string, GoldConcern>>,
  cutoffs: readonly number[],
): CurvePoint[] {
  return cutoffs.map((minScore) => {
    const kept = observed.map((o) => ({
      ...o,
      resources: o.resources.filter((_, i) => (o.resourceScores?.[i] ?? 1) >= minScore),
    }));
    const scores = score(kept, gold);
    const withRelevant = kept.filter((o) => Object.values(gold[o.key]?.services ?? {}).some((g) => g > 0));
    return {
      minScore,
      resourceP3: scores.resourceP3.value,
      abstention: scores.abstention.value,
      coverage:
        withRelevant.length > 0
          ? withRelevant.filter((o) => o.resources.length > 0).length / withRelevant.length
          : null,
    };
  });
}

export function curveTable(points: readonly CurvePoint[]): string {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  return [
    '| min score | resource P@3 | abstention | concerns with a relevant service that get a suggestion |',
    '|---|---|---|---|',
    ...points.map((p) => `| ${p.minScore.toFixed(2)} | ${f(p.resourceP3)} | ${f(p.abstention)} | ${f(p.coverage)} |`),
  ].join('\n');
}
