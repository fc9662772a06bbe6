/**
 * Runs a GraphQL operation as an anonymous (PUBLIC) caller and returns its data; it throws when
 * the answer has errors. Everything in the open data comes through it, so the datasets can only
 * hold what the public API shows anyone.
 */
export type ExecutePublic = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** Reports work done: `step` names the list being read, `done` of `total` pages or items. */
export type ProgressListener = (step: string, done: number, total: number) => void;

export interface StatusNote {
  status: string;
  note: string | null;
  changedAt: string;
}

export interface ConcernRecord {
  id: string;
  summary: string;
  detail: string | null;
  themes: string[];
  language: string;
  status: string;
  supportCount: number;
  mentionCount: number;
  neighborhoodId: string | null;
  neighborhoodName: string | null;
  ward: number | null;
  /** `[longitude, latitude]` of the point it is about, as the public API gives it (rounded to ~100 m); null without one. */
  point: [number, number] | null;
  conversationId: string | null;
  conversationTitle: string | null;
  citywideConcernId: string | null;
  citywideConcernTitle: string | null;
  /** The city's latest public status note. */
  cityResponse: string | null;
  /** Status changes, oldest first, with their public notes only. */
  statusHistory: StatusNote[];
  createdAt: string;
  updatedAt: string;
}

export interface ConversationRecord {
  id: string;
  title: string;
  heldOn: string;
  host: string | null;
  languages: string[];
  format: string;
  participantCount: number;
  summary: string | null;
  publishedAt: string | null;
  source: {
    kind: string;
    externalId: string | null;
    url: string | null;
    attribution: string | null;
    license: string | null;
  };
  neighborhoods: { id: string; name: string; ward: number }[];
  updatedAt: string;
}

export interface InitiativeRecord {
  id: string;
  code: string;
  title: string;
  description: string | null;
  status: string | null;
  goal: { number: number; title: string };
  objective: { code: string; title: string | null };
  leadDepartment: { id: string; name: string } | null;
  partnerDepartments: { id: string; name: string }[] | null;
  themes: string[];
  startDate: string | null;
  targetDate: string | null;
  sourceUrl: string | null;
  statusHistory: { status: string | null; note: string | null; changedAt: string }[];
  measureIds: string[];
  /** Published concerns aligned with it (null while the engagement service is unavailable). */
  concernIds: string[] | null;
  updatedAt: string;
}

export interface ObservationRecord {
  id: string;
  period: string | null;
  label: string | null;
  segment: string;
  value: number;
  note: string | null;
  /** The label and note in Spanish (staff's, else apertium's); null while there is none. */
  labelEs: string | null;
  noteEs: string | null;
  /** Whether that Spanish text is a machine translation (null: no Spanish text). */
  labelEsMachineTranslated: boolean | null;
  noteEsMachineTranslated: boolean | null;
  periodInferred: boolean;
  automatic: boolean;
  sourceUrl: string | null;
}

export interface MeasureRecord {
  id: string;
  name: string | null;
  unit: string | null;
  direction: string | null;
  valueType: string;
  target: number | null;
  targetLabel: string | null;
  frequency: string | null;
  note: string | null;
  refreshedAt: string | null;
  initiativeId: string;
  initiativeCode: string;
  observations: ObservationRecord[];
}

export interface GeoJsonGeometry {
  type: string;
  coordinates: unknown;
}

export interface WardRecord {
  number: number;
  name: string;
  boundary: GeoJsonGeometry | null;
}

export interface NeighborhoodRecord {
  id: string;
  slug: string;
  name: string;
  ward: number;
  equityPriority: boolean;
  povertyRate: number | null;
  peopleOfColorShare: number | null;
  medianHouseholdIncome: number | null;
  boundary: GeoJsonGeometry | null;
  nameEs: string;
  wards: number[];
  schoolZone: string | null;
  sviOverall: number | null;
  /** The clauses of the equity-priority rule it meets (empty: not a priority area). */
  equityPriorityReasons: { clause: string }[];
  /** Each figure's source, vintage and margin of error, by key (`povertyRate`, `sviOverall`, …). */
  indicators: { key: string; vintage: string | null; source: string; marginOfError: number | null }[];
}

/** One row of the public API's accountabilityReport: response times of one group of published concerns. */
export interface AccountabilityRecord {
  /** CITYWIDE, NEIGHBORHOOD, EQUITY_PRIORITY or LANGUAGE. */
  grouping: string;
  /** NEIGHBORHOOD rows: the neighborhood (null: the concerns with none, citywide ones). */
  neighborhood: { id: string; name: string } | null;
  /** EQUITY_PRIORITY rows: priority areas (true) or all other concerns (false). */
  equityPriority: boolean | null;
  /** LANGUAGE rows: the language the concerns were raised in. */
  language: string | null;
  concerns: number;
  answered: number;
  addressed: number;
  medianDaysToFirstResponse: number | null;
  medianDaysToAddressed: number | null;
  concernsDueWithin30Days: number;
  answeredWithin30Days: number;
  shareAnsweredWithin30Days: number | null;
}

/** Everything the datasets are made of, as the public API gave it. */
export interface OpenDataSnapshot {
  concerns: ConcernRecord[];
  conversations: ConversationRecord[];
  initiatives: InitiativeRecord[];
  measures: MeasureRecord[];
  wards: WardRecord[];
  neighborhoods: NeighborhoodRecord[];
  /** Response times: citywide, then by equity priority, neighborhood and language. */
  accountability: AccountabilityRecord[];
  /** When it was read. */
  readAt: string;
}

export interface OpenDataFile {
  /** File name, e.g. "concerns.csv". */
  name: string;
  mediaType: string;
  body: string;
}
