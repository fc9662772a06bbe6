import { stringify } from 'csv-stringify/sync';
import { centroid, rewind } from './geo.ts';
import type {
  AccountabilityRecord,
  ConcernRecord,
  GeoJsonGeometry,
  MeasureRecord,
  NeighborhoodRecord,
  ObservationRecord,
  OpenDataFile,
  OpenDataSnapshot,
  WardRecord,
} from './types.ts';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'datetime' | 'date';
export type Cell = string | number | boolean | null | string[] | number[];

export interface Column<R> {
  name: string;
  type: ColumnType;
  description: string;
  /** Lists are written to CSV joined by ";" (a Table Schema "array" of strings, kept as a string). */
  value: (row: R, snapshot: OpenDataSnapshot) => Cell;
}

export interface Dataset<R> {
  /** File stem and identifier suffix, e.g. "concerns". */
  id: string;
  title: string;
  description: string;
  keyword: string[];
  rows: (snapshot: OpenDataSnapshot) => R[];
  columns: Column<R>[];
  /** Extra fields for the JSON records beyond the columns (nested lists, say). */
  extra?: (row: R) => Record<string, unknown>;
  /** A GeoJSON geometry per row, for datasets that are geographic. */
  geometry?: (row: R, snapshot: OpenDataSnapshot) => GeoJsonGeometry | null;
  /** "start/end" ISO 8601 interval of what the rows cover, when known. */
  temporal?: (rows: R[]) => string | undefined;
  /** When the content last changed, when known (otherwise the time it was read). */
  modified?: (rows: R[]) => string | undefined;
}

const col = <R>(
  name: string,
  type: ColumnType,
  description: string,
  value: (row: R, snapshot: OpenDataSnapshot) => Cell,
): Column<R> => ({
  name,
  type,
  description,
  value,
});

const max = (values: (string | null | undefined)[]) =>
  values.filter((v): v is string => Boolean(v)).reduce<string | undefined>((a, b) => (!a || b > a ? b : a), undefined);
const min = (values: (string | null | undefined)[]) =>
  values.filter((v): v is string => Boolean(v)).reduce<string | undefined>((a, b) => (!a || b < a ? b : a), undefined);
const day = (iso: string) => iso.slice(0, 10);
const interval = (values: (string | null | undefined)[]) => {
  const first = min(values);
  const last = max(values);
  return first && last ? `${day(first)}/${day(last)}` : undefined;
};

export type LocationBasis = 'point' | 'neighborhood' | 'ward';

/**
 * Where a concern sits: the point it is about when one was given (the public API's, rounded to
 * ~100 m), else the centroid of its neighborhood's boundary, else of its ward's.
 */
export function concernLocation(
  concern: Pick<ConcernRecord, 'neighborhoodId' | 'ward' | 'point'>,
  snapshot: {
    neighborhoods: readonly Pick<NeighborhoodRecord, 'id' | 'boundary'>[];
    wards: readonly Pick<WardRecord, 'number' | 'boundary'>[];
  },
): { point: [number, number]; basis: LocationBasis } | null {
  if (concern.point) return { point: concern.point, basis: 'point' };
  const neighborhood = snapshot.neighborhoods.find((n) => n.id === concern.neighborhoodId);
  const fromNeighborhood = centroid(neighborhood?.boundary);
  if (fromNeighborhood) return { point: fromNeighborhood, basis: 'neighborhood' };
  const ward = snapshot.wards.find((w) => w.number === concern.ward);
  const fromWard = centroid(ward?.boundary);
  return fromWard ? { point: fromWard, basis: 'ward' } : null;
}

const lastChange = (c: ConcernRecord) => c.statusHistory.at(-1)?.changedAt ?? null;

export const concernsDataset: Dataset<ConcernRecord> = {
  id: 'concerns',
  title: 'Community concerns',
  description:
    'Concerns residents raised in community conversations that the city has published, with their themes, status, neighborhood and ward, the conversation they came from, how many residents supported or raised them, and the city’s public status notes. No personal data: residents’ contact details are never published. Locations are approximate: the point the concern is about rounded to 3 decimals (about 100 m) when one was given, else the centroid of the neighborhood or, failing that, the council ward; location_basis says which.',
  keyword: ['community engagement', 'concerns', 'resident feedback', 'civic participation', 'service requests'],
  rows: (s) => s.concerns,
  columns: [
    col('id', 'string', 'Concern id (stable).', (c) => c.id),
    col('summary', 'string', 'Public one-line summary.', (c) => c.summary),
    col('detail', 'string', 'Public detail, when longer than the summary.', (c) => c.detail),
    col('themes', 'string', 'Theme codes, separated by ";".', (c) => c.themes),
    col('language', 'string', 'BCP-47 language of the text.', (c) => c.language),
    col('status', 'string', 'NEW, UNDER_REVIEW, ALIGNED, IN_PROGRESS, ADDRESSED or NOT_FEASIBLE.', (c) => c.status),
    col('support_count', 'integer', 'Residents who supported it.', (c) => c.supportCount),
    col('mention_count', 'integer', 'Times it was raised.', (c) => c.mentionCount),
    col('neighborhood_id', 'string', 'Neighborhood id (empty: citywide).', (c) => c.neighborhoodId),
    col('neighborhood_name', 'string', 'Neighborhood name.', (c) => c.neighborhoodName),
    col('ward', 'integer', 'Council ward of the neighborhood.', (c) => c.ward),
    col('conversation_id', 'string', 'The conversation it was heard in.', (c) => c.conversationId),
    col('conversation_title', 'string', 'Title of that conversation.', (c) => c.conversationTitle),
    col('citywide_concern_id', 'string', 'The citywide concern it was grouped into.', (c) => c.citywideConcernId),
    col('citywide_concern_title', 'string', 'Title of that citywide concern.', (c) => c.citywideConcernTitle),
    col('status_notes', 'string', 'The city’s latest public status note.', (c) => c.cityResponse),
    col('status_changed_at', 'datetime', 'When its status last changed.', lastChange),
    col('created_at', 'datetime', 'When it was recorded.', (c) => c.createdAt),
    col('updated_at', 'datetime', 'When it last changed.', (c) => c.updatedAt),
    col(
      'location_basis',
      'string',
      'What the point stands for: "point" (the place given, rounded to about 100 m), "neighborhood" or "ward" (the centroid of its boundary); empty when unknown.',
      (c, s) => concernLocation(c, s)?.basis ?? null,
    ),
    col('longitude', 'number', 'Longitude of that point (WGS 84).', (c, s) => concernLocation(c, s)?.point[0] ?? null),
    col('latitude', 'number', 'Latitude of that point (WGS 84).', (c, s) => concernLocation(c, s)?.point[1] ?? null),
  ],
  extra: (c) => ({
    status_history: c.statusHistory.map((s) => ({ status: s.status, public_note: s.note, changed_at: s.changedAt })),
  }),
  geometry: (c, s) => {
    const location = concernLocation(c, s);
    return location ? { type: 'Point', coordinates: location.point } : null;
  },
  temporal: (rows) => interval(rows.map((c) => c.createdAt)),
  modified: (rows) => max(rows.map((c) => c.updatedAt)),
};

export const conversationsDataset: Dataset<OpenDataSnapshot['conversations'][number]> = {
  id: 'conversations',
  title: 'Community conversations',
  description:
    'Published community conversations: when and how they were held, who hosted them, how many residents took part, the neighborhoods they were for, a public summary and where the record comes from (with the attribution and licence its source requires).',
  keyword: ['community engagement', 'conversations', 'public meetings', 'civic participation'],
  rows: (s) => s.conversations,
  columns: [
    col('id', 'string', 'Conversation id (stable).', (c) => c.id),
    col('title', 'string', 'Title.', (c) => c.title),
    col('held_on', 'datetime', 'When it was held.', (c) => c.heldOn),
    col('host', 'string', 'Who hosted it.', (c) => c.host),
    col('languages', 'string', 'BCP-47 languages spoken, separated by ";".', (c) => c.languages),
    col('format', 'string', 'How it was held.', (c) => c.format),
    col('participant_count', 'integer', 'How many residents took part.', (c) => c.participantCount),
    col('summary', 'string', 'Public summary.', (c) => c.summary),
    col('published_at', 'datetime', 'When it was published.', (c) => c.publishedAt),
    col('neighborhood_ids', 'string', 'Neighborhood ids, separated by ";".', (c) => c.neighborhoods.map((n) => n.id)),
    col('neighborhood_names', 'string', 'Neighborhood names, separated by ";".', (c) =>
      c.neighborhoods.map((n) => n.name),
    ),
    col('wards', 'string', 'Council wards, separated by ";".', (c) => [
      ...new Set(c.neighborhoods.map((n) => String(n.ward))),
    ]),
    col('source_kind', 'string', 'Kind of source (MANUAL, POLIS, …).', (c) => c.source.kind),
    col('source_external_id', 'string', 'Id in the source system.', (c) => c.source.externalId),
    col('source_url', 'string', 'Where the source can be seen.', (c) => c.source.url),
    col('source_attribution', 'string', 'Attribution the source’s licence requires.', (c) => c.source.attribution),
    col('source_license', 'string', 'Licence of the source.', (c) => c.source.license),
    col('updated_at', 'datetime', 'When it last changed.', (c) => c.updatedAt),
  ],
  temporal: (rows) => interval(rows.map((c) => c.heldOn)),
  modified: (rows) => max(rows.map((c) => c.updatedAt)),
};

export const initiativesDataset: Dataset<OpenDataSnapshot['initiatives'][number]> = {
  id: 'initiatives',
  title: 'Strategic plan initiatives',
  description:
    'The initiatives of the city’s strategic plan with their goal and objective, status and latest public status note, lead and partner departments, themes, dates, number of measures and number of published concerns aligned with them.',
  keyword: ['strategic plan', 'initiatives', 'performance', 'city government'],
  rows: (s) => s.initiatives,
  columns: [
    col('id', 'string', 'Initiative id (stable).', (i) => i.id),
    col('code', 'string', 'Plan code, e.g. "3.13".', (i) => i.code),
    col('title', 'string', 'Title.', (i) => i.title),
    col('description', 'string', 'Description.', (i) => i.description),
    col('status', 'string', 'IN_PROGRESS, ON_HOLD or COMPLETE_ONGOING (empty: not published).', (i) => i.status),
    col('status_note', 'string', 'The latest public status note.', (i) => i.statusHistory.at(-1)?.note ?? null),
    col('goal_number', 'integer', 'Goal number.', (i) => i.goal.number),
    col('goal_title', 'string', 'Goal title.', (i) => i.goal.title),
    col('objective_code', 'string', 'Objective code.', (i) => i.objective.code),
    col('objective_title', 'string', 'Objective title.', (i) => i.objective.title),
    col('lead_department_id', 'string', 'Lead department (organization id).', (i) => i.leadDepartment?.id ?? null),
    col('lead_department', 'string', 'Lead department name.', (i) => i.leadDepartment?.name ?? null),
    col('partner_departments', 'string', 'Partner department names, separated by ";".', (i) =>
      (i.partnerDepartments ?? []).map((d) => d.name),
    ),
    col('themes', 'string', 'Theme codes, separated by ";".', (i) => i.themes),
    col('start_date', 'string', 'Start date as published.', (i) => i.startDate),
    col('target_date', 'string', 'Target date as published.', (i) => i.targetDate),
    col('measure_count', 'integer', 'Number of measures.', (i) => i.measureIds.length),
    col('aligned_concern_count', 'integer', 'Published concerns aligned with it.', (i) => i.concernIds?.length ?? null),
    col('source_url', 'string', 'Where the plan publishes it.', (i) => i.sourceUrl),
    col('updated_at', 'datetime', 'When it last changed.', (i) => i.updatedAt),
  ],
  extra: (i) => ({
    status_history: i.statusHistory.map((s) => ({ status: s.status, note: s.note, changed_at: s.changedAt })),
    measure_ids: i.measureIds,
    aligned_concern_ids: i.concernIds,
  }),
  modified: (rows) => max(rows.map((i) => i.updatedAt)),
};

const latestOf = (m: MeasureRecord): ObservationRecord | undefined =>
  m.observations.filter((o) => o.segment === '').at(-1) ?? m.observations.at(-1);

export const measuresDataset: Dataset<MeasureRecord> = {
  id: 'measures',
  title: 'Strategic plan measures',
  description:
    'The measures that track the strategic plan’s initiatives: unit, direction, target, frequency and the latest value (the series is in the measure observations dataset).',
  keyword: ['strategic plan', 'performance measures', 'indicators', 'city government'],
  rows: (s) => s.measures,
  columns: [
    col('id', 'string', 'Measure id (stable).', (m) => m.id),
    col('initiative_id', 'string', 'The initiative it tracks.', (m) => m.initiativeId),
    col('initiative_code', 'string', 'That initiative’s plan code.', (m) => m.initiativeCode),
    col('name', 'string', 'Measure name (empty where the published title is unknown).', (m) => m.name),
    col('unit', 'string', 'Unit.', (m) => m.unit),
    col('direction', 'string', 'UP_IS_BETTER or DOWN_IS_BETTER (empty: not stated).', (m) => m.direction),
    col('value_type', 'string', 'Kind of value.', (m) => m.valueType),
    col('target', 'number', 'Target value.', (m) => m.target),
    col('target_label', 'string', 'Target as published.', (m) => m.targetLabel),
    col('frequency', 'string', 'How often it is measured.', (m) => m.frequency),
    col('note', 'string', 'Note.', (m) => m.note),
    col('observation_count', 'integer', 'Observations in the series.', (m) => m.observations.length),
    col('latest_period', 'string', 'Period of the latest observation.', (m) => latestOf(m)?.period ?? null),
    col('latest_value', 'number', 'Latest value.', (m) => latestOf(m)?.value ?? null),
    col('refreshed_at', 'datetime', 'When an automatic source last refreshed it.', (m) => m.refreshedAt),
  ],
  modified: (rows) => max(rows.map((m) => m.refreshedAt)),
};

type ObservationRow = ObservationRecord & { measureId: string; initiativeCode: string };

export const observationsDataset: Dataset<ObservationRow> = {
  id: 'measure-observations',
  title: 'Strategic plan measure observations',
  description:
    'Every observation of every strategic plan measure: period, segment (a breakdown within the period; empty for the main series), value and source.',
  keyword: ['strategic plan', 'performance measures', 'time series', 'city government'],
  rows: (s) =>
    s.measures.flatMap((m) => m.observations.map((o) => ({ ...o, measureId: m.id, initiativeCode: m.initiativeCode }))),
  columns: [
    col('id', 'string', 'Observation id.', (o) => o.id),
    col('measure_id', 'string', 'The measure.', (o) => o.measureId),
    col('initiative_code', 'string', 'Plan code of the measure’s initiative.', (o) => o.initiativeCode),
    col('period', 'string', '"YYYY", "YYYY-MM" or "YYYY-MM-DD/YYYY-MM-DD" (empty: undated).', (o) => o.period),
    col('label', 'string', 'The period or point as published.', (o) => o.label),
    col('segment', 'string', 'Breakdown within the period (empty: the main series).', (o) => o.segment),
    col('value', 'number', 'Value.', (o) => o.value),
    col('note', 'string', 'Note.', (o) => o.note),
    col('label_es', 'string', 'The label in Spanish (empty: no Spanish version yet).', (o) => o.labelEs),
    col(
      'label_es_machine_translated',
      'boolean',
      'Whether label_es is a machine translation (empty: no Spanish label).',
      (o) => o.labelEsMachineTranslated,
    ),
    col('note_es', 'string', 'The note in Spanish (empty: no Spanish version yet).', (o) => o.noteEs),
    col(
      'note_es_machine_translated',
      'boolean',
      'Whether note_es is a machine translation (empty: no Spanish note).',
      (o) => o.noteEsMachineTranslated,
    ),
    col('period_inferred', 'boolean', 'Whether the period was inferred.', (o) => o.periodInferred),
    col('automatic', 'boolean', 'Whether an automatic source wrote it.', (o) => o.automatic),
    col('source_url', 'string', 'Source.', (o) => o.sourceUrl),
  ],
};

export const wardsDataset: Dataset<OpenDataSnapshot['wards'][number]> = {
  id: 'wards',
  title: 'Council wards',
  description: 'The city council wards with their published boundaries (WGS 84), as the concerns refer to them.',
  keyword: ['boundaries', 'council wards', 'geography'],
  rows: (s) => s.wards,
  columns: [
    col('number', 'integer', 'Ward number.', (w) => w.number),
    col('name', 'string', 'Ward name.', (w) => w.name),
  ],
  geometry: (w) => w.boundary,
};

export const neighborhoodsDataset: Dataset<OpenDataSnapshot['neighborhoods'][number]> = {
  id: 'neighborhoods',
  title: 'Neighborhoods',
  description:
    'The neighborhoods concerns and conversations refer to, with their ward, equity-priority flag and equity figures; boundaries where one is published (geometry null otherwise).',
  keyword: ['neighborhoods', 'equity', 'geography'],
  rows: (s) => s.neighborhoods,
  columns: [
    col('id', 'string', 'Neighborhood id (stable).', (n) => n.id),
    col('slug', 'string', 'Short name.', (n) => n.slug),
    col('name', 'string', 'Name.', (n) => n.name),
    col('ward', 'integer', 'Council ward.', (n) => n.ward),
    col('equity_priority', 'boolean', 'Whether it is an equity-priority area.', (n) => n.equityPriority),
    col('name_es', 'string', 'Name in Spanish.', (n) => n.nameEs),
    col(
      'wards',
      'string',
      'Every council ward it overlaps, the one holding most of it first, separated by ";".',
      (n) => n.wards,
    ),
    col('school_zone', 'string', 'Elementary school assignment zone holding most of it.', (n) => n.schoolZone),
    col(
      'equity_priority_reasons',
      'string',
      'The clauses of the equity-priority rule it meets, separated by ";" (empty: not a priority area).',
      (n) => n.equityPriorityReasons.map((r) => r.clause),
    ),
    ...figureColumns('poverty_rate', 'povertyRate', 'number', 'Poverty rate (0–1)'),
    ...figureColumns('people_of_color_share', 'peopleOfColorShare', 'number', 'Share of people of color (0–1)'),
    ...figureColumns('median_household_income', 'medianHouseholdIncome', 'integer', 'Median household income (USD)'),
    ...figureColumns(
      'svi_overall',
      'sviOverall',
      'number',
      'CDC/ATSDR Social Vulnerability Index, overall percentile (0–1)',
    ),
    col('has_boundary', 'boolean', 'Whether a boundary is published.', (n) => n.boundary !== null),
  ],
  extra: (n) => ({ indicators: n.indicators }),
  geometry: (n) => n.boundary,
};

type NeighborhoodRow = OpenDataSnapshot['neighborhoods'][number];
type NeighborhoodFigure = 'povertyRate' | 'peopleOfColorShare' | 'medianHouseholdIncome' | 'sviOverall';

/** A figure with its margin of error, vintage and source (empty where there is no figure). */
function figureColumns(
  name: string,
  key: NeighborhoodFigure,
  type: ColumnType,
  label: string,
): Column<NeighborhoodRow>[] {
  const indicator = (n: NeighborhoodRow) => (n[key] === null ? undefined : n.indicators.find((i) => i.key === key));
  return [
    col(name, type, `${label} (empty: no figure; never zero for want of data).`, (n) => n[key]),
    col(
      `${name}_moe`,
      'number',
      `90 % margin of error of ${name}, where the source publishes one.`,
      (n) => indicator(n)?.marginOfError ?? null,
    ),
    col(`${name}_vintage`, 'string', `Vintage of ${name}, e.g. "ACS 2019–2023".`, (n) => indicator(n)?.vintage ?? null),
    col(`${name}_source`, 'string', `Who publishes ${name}.`, (n) => indicator(n)?.source ?? null),
  ];
}

export const accountabilityDataset: Dataset<AccountabilityRecord> = {
  id: 'accountability',
  title: 'Response times to residents’ concerns',
  description:
    'How long published concerns waited for the city: days from a concern’s first hearing (the day its conversation was held) to its first public response (its first status change away from New) and to Addressed (medians over the concerns that got there), and the share of concerns heard at least 30 days ago that were answered within 30 days. One row citywide, then by equity-priority area (yes/no), by neighborhood (empty neighborhood: concerns with none, i.e. citywide concerns) and by the language the concern was raised in. Empty figures mean there was nothing to measure.',
  keyword: ['accountability', 'response times', 'equity', 'civic participation', 'community engagement'],
  rows: (s) => s.accountability,
  columns: [
    col(
      'grouping',
      'string',
      'What the row counts: CITYWIDE, EQUITY_PRIORITY, NEIGHBORHOOD or LANGUAGE.',
      (r) => r.grouping,
    ),
    col(
      'neighborhood_id',
      'string',
      'NEIGHBORHOOD rows: the neighborhood id (empty: concerns with no neighborhood).',
      (r) => r.neighborhood?.id ?? null,
    ),
    col('neighborhood_name', 'string', 'NEIGHBORHOOD rows: its name.', (r) => r.neighborhood?.name ?? null),
    col(
      'equity_priority',
      'boolean',
      'EQUITY_PRIORITY rows: true for equity-priority areas, false for all other concerns.',
      (r) => r.equityPriority,
    ),
    col('language', 'string', 'LANGUAGE rows: the BCP-47 language the concerns were raised in.', (r) => r.language),
    col('concerns', 'integer', 'Published concerns counted.', (r) => r.concerns),
    col('answered', 'integer', 'Of them, those with a first public response.', (r) => r.answered),
    col('addressed', 'integer', 'Of them, those marked Addressed.', (r) => r.addressed),
    col(
      'median_days_to_first_response',
      'number',
      'Median days from first hearing to first public response, over the answered ones (empty: none).',
      (r) => r.medianDaysToFirstResponse,
    ),
    col(
      'median_days_to_addressed',
      'number',
      'Median days from first hearing to Addressed, over the addressed ones (empty: none).',
      (r) => r.medianDaysToAddressed,
    ),
    col(
      'concerns_due_within_30_days',
      'integer',
      'Concerns first heard at least 30 days before the data was read.',
      (r) => r.concernsDueWithin30Days,
    ),
    col(
      'answered_within_30_days',
      'integer',
      'Of those, the ones answered within 30 days of first hearing.',
      (r) => r.answeredWithin30Days,
    ),
    col(
      'share_answered_within_30_days',
      'number',
      'answered_within_30_days / concerns_due_within_30_days, 0–1 (empty: no concern is 30 days old).',
      (r) => r.shareAnsweredWithin30Days,
    ),
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: a list of datasets over different row types
export const DATASETS: Dataset<any>[] = [
  concernsDataset,
  conversationsDataset,
  initiativesDataset,
  measuresDataset,
  observationsDataset,
  wardsDataset,
  neighborhoodsDataset,
  accountabilityDataset,
];

export const MEDIA_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

const csvCell = (value: Cell): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
};

export function renderCsv<R>(dataset: Dataset<R>, rows: R[], snapshot: OpenDataSnapshot): string {
  return stringify(
    rows.map((row) => dataset.columns.map((c) => csvCell(c.value(row, snapshot)))),
    { header: true, columns: dataset.columns.map((c) => c.name), record_delimiter: 'windows', bom: false },
  );
}

export function jsonRecord<R>(dataset: Dataset<R>, row: R, snapshot: OpenDataSnapshot): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const c of dataset.columns) record[c.name] = c.value(row, snapshot) ?? null;
  return { ...record, ...dataset.extra?.(row) };
}

export function renderJson<R>(dataset: Dataset<R>, rows: R[], snapshot: OpenDataSnapshot): string {
  return `${JSON.stringify(rows.map((row) => jsonRecord(dataset, row, snapshot)))}\n`;
}

export function renderGeoJson<R>(dataset: Dataset<R>, rows: R[], snapshot: OpenDataSnapshot): string {
  const geometry = dataset.geometry;
  if (!geometry) throw new Error(`${dataset.id} is not geographic`);
  const features = rows.map((row) => {
    const record = jsonRecord(dataset, row, snapshot);
    const shape = geometry(row, snapshot);
    return {
      type: 'Feature',
      ...(typeof record.id === 'string' || typeof record.id === 'number' ? { id: record.id } : {}),
      geometry: rewind(shape),
      properties: record,
    };
  });
  return `${JSON.stringify({ type: 'FeatureCollection', features })}\n`;
}

/** A Frictionless Table Schema for the dataset's CSV: its data dictionary (DCAT describedBy). */
export function renderTableSchema<R>(dataset: Dataset<R>): string {
  return `${JSON.stringify(
    {
      fields: dataset.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
      missingValues: [''],
      ...(dataset.columns.some((c) => c.name === 'id') ? { primaryKey: 'id' } : {}),
    },
    null,
    2,
  )}\n`;
}

export const fileNames = (dataset: Dataset<unknown>) => ({
  csv: `${dataset.id}.csv`,
  json: `${dataset.id}.json`,
  geojson: dataset.geometry ? `${dataset.id}.geojson` : undefined,
  schema: `${dataset.id}.schema.json`,
});

/** Every dataset file (CSV, JSON, GeoJSON where geographic, Table Schema) of a snapshot. */
export function renderDatasets(snapshot: OpenDataSnapshot): OpenDataFile[] {
  const files: OpenDataFile[] = [];
  for (const dataset of DATASETS) {
    const rows = dataset.rows(snapshot);
    const names = fileNames(dataset);
    files.push({ name: names.csv, mediaType: MEDIA_TYPES.csv, body: renderCsv(dataset, rows, snapshot) });
    files.push({ name: names.json, mediaType: MEDIA_TYPES.json, body: renderJson(dataset, rows, snapshot) });
    if (names.geojson) {
      files.push({ name: names.geojson, mediaType: MEDIA_TYPES.geojson, body: renderGeoJson(dataset, rows, snapshot) });
    }
    files.push({ name: names.schema, mediaType: MEDIA_TYPES.json, body: renderTableSchema(dataset) });
  }
  return files;
}
