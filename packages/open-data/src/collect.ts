import type {
  AccountabilityRecord,
  ConcernRecord,
  ConversationRecord,
  ExecutePublic,
  InitiativeRecord,
  MeasureRecord,
  NeighborhoodRecord,
  ObservationRecord,
  OpenDataSnapshot,
  ProgressListener,
  WardRecord,
} from './types.ts';

// Page sizes keep each operation under the gateway's default cost limit (5,000 fields with lists
// counted at 20): a concern with its status history costs about 90, a conversation about 80.
export const CONCERN_PAGE_SIZE = 40;
export const CONVERSATION_PAGE_SIZE = 50;
/** Measures read per operation (one aliased root field each; the gateway allows 10 root fields). */
export const MEASURE_BATCH = 8;

/** The public fields of a concern, shared with the Open311 single-request lookup. */
export const CONCERN_FIELDS = `
  id summary detail themes language status supportCount mentionCount neighborhoodId ward
  neighborhood { name }
  location { latitude longitude }
  conversation { id title }
  citywideConcern { id title }
  cityResponse
  statusHistory { toStatus publicNote changedAt }
  createdAt updatedAt`;

export interface ConcernNode {
  id: string;
  summary: string;
  detail: string | null;
  themes: string[];
  language: string;
  status: string;
  supportCount: number;
  mentionCount: number;
  neighborhoodId: string | null;
  ward: number | null;
  neighborhood: { name: string } | null;
  /** The public (rounded) point, when one was given; older gateways without the field leave it out. */
  location?: { latitude: number; longitude: number } | null;
  conversation: { id: string; title: string } | null;
  citywideConcern: { id: string; title: string } | null;
  cityResponse: string | null;
  statusHistory: { toStatus: string; publicNote: string | null; changedAt: string }[];
  createdAt: string;
  updatedAt: string;
}

export function concernRecord(node: ConcernNode): ConcernRecord {
  return {
    id: node.id,
    summary: node.summary,
    detail: node.detail,
    themes: node.themes,
    language: node.language,
    status: node.status,
    supportCount: node.supportCount,
    mentionCount: node.mentionCount,
    neighborhoodId: node.neighborhoodId,
    neighborhoodName: node.neighborhood?.name ?? null,
    ward: node.ward,
    point: node.location ? [node.location.longitude, node.location.latitude] : null,
    conversationId: node.conversation?.id ?? null,
    conversationTitle: node.conversation?.title ?? null,
    citywideConcernId: node.citywideConcern?.id ?? null,
    citywideConcernTitle: node.citywideConcern?.title ?? null,
    cityResponse: node.cityResponse,
    statusHistory: node.statusHistory.map((s) => ({ status: s.toStatus, note: s.publicNote, changedAt: s.changedAt })),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  };
}

interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: N }[];
}

/** Every page of a connection, following cursors until the last. */
async function allPages<N>(
  execute: ExecutePublic,
  step: string,
  query: string,
  field: string,
  pageSize: number,
  onProgress?: ProgressListener,
): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Record<string, Connection<N>> = await execute(query, { first: pageSize, after });
    const page = data[field];
    if (!page) throw new Error(`the public API gave no ${field}`);
    for (const edge of page.edges) nodes.push(edge.node);
    onProgress?.(step, nodes.length, page.totalCount);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || page.edges.length === 0) break;
    after = page.pageInfo.endCursor;
  }
  return nodes;
}

const CONCERNS_QUERY = `query OpenData_Concerns($first: Int!, $after: String) {
  concerns(first: $first, after: $after, orderBy: NEWEST) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${CONCERN_FIELDS} } }
  }
}`;

/** All published concerns (the public sees only published, accepted ones), oldest first. */
export async function collectConcerns(execute: ExecutePublic, onProgress?: ProgressListener): Promise<ConcernRecord[]> {
  const nodes = await allPages<ConcernNode>(
    execute,
    'concerns',
    CONCERNS_QUERY,
    'concerns',
    CONCERN_PAGE_SIZE,
    onProgress,
  );
  return nodes.map(concernRecord).sort(byCreatedThenId);
}

function byCreatedThenId(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

const CONVERSATIONS_QUERY = `query OpenData_Conversations($first: Int!, $after: String) {
  conversations(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id title heldOn host languages format participantCount summary publishedAt updatedAt
      source { kind externalId url attribution license }
      neighborhoods { id name ward }
    } }
  }
}`;

/** All published conversations, by the day they were held. */
export async function collectConversations(
  execute: ExecutePublic,
  onProgress?: ProgressListener,
): Promise<ConversationRecord[]> {
  const nodes = await allPages<ConversationRecord>(
    execute,
    'conversations',
    CONVERSATIONS_QUERY,
    'conversations',
    CONVERSATION_PAGE_SIZE,
    onProgress,
  );
  return nodes.sort((a, b) => a.heldOn.localeCompare(b.heldOn) || a.id.localeCompare(b.id));
}

const INITIATIVES_QUERY = `query OpenData_Initiatives {
  initiatives {
    id code title description status startDate targetDate sourceUrl themes updatedAt
    goal { number title }
    objective { code title }
    leadDepartment { id name }
    partnerDepartments { id name }
    statusHistory { status note changedAt }
    measures { id }
    concerns { id }
  }
}`;

interface InitiativeNode extends Omit<InitiativeRecord, 'measureIds' | 'concernIds'> {
  measures: { id: string }[];
  concerns: { id: string }[] | null;
}

/** The strategic plan's initiatives in plan order. */
export async function collectInitiatives(
  execute: ExecutePublic,
  onProgress?: ProgressListener,
): Promise<InitiativeRecord[]> {
  const data = await execute<{ initiatives: InitiativeNode[] }>(INITIATIVES_QUERY);
  onProgress?.('initiatives', data.initiatives.length, data.initiatives.length);
  return data.initiatives.map(({ measures, concerns, ...rest }) => ({
    ...rest,
    measureIds: measures.map((m) => m.id),
    concernIds: concerns ? concerns.map((c) => c.id) : null,
  }));
}

const MEASURE_FIELDS = `
  id name unit direction valueType target targetLabel frequency note refreshedAt
  initiative { id code }
  observations {
    id period label segment value note periodInferred automatic sourceUrl
    content(language: "es") { field text language machineTranslated }
  }`;

type ObservationNode = Omit<
  ObservationRecord,
  'labelEs' | 'noteEs' | 'labelEsMachineTranslated' | 'noteEsMachineTranslated'
> & { content: { field: string; text: string; language: string; machineTranslated: boolean }[] };

type MeasureNode = Omit<MeasureRecord, 'initiativeId' | 'initiativeCode' | 'observations'> & {
  initiative: { id: string; code: string };
  observations: ObservationNode[];
};

/** An observation with its label and note in Spanish, when a version in Spanish exists. */
function observationRecord({ content, ...observation }: ObservationNode): ObservationRecord {
  const spanish = (field: string) => content.find((c) => c.field === field && c.language === 'es');
  const label = spanish('label');
  const note = spanish('note');
  return {
    ...observation,
    labelEs: label?.text ?? null,
    noteEs: note?.text ?? null,
    labelEsMachineTranslated: label ? label.machineTranslated : null,
    noteEsMachineTranslated: note ? note.machineTranslated : null,
  };
}

/** The initiatives' measures with every observation, a few measures per operation. */
export async function collectMeasures(
  execute: ExecutePublic,
  initiatives: InitiativeRecord[],
  onProgress?: ProgressListener,
): Promise<MeasureRecord[]> {
  const ids = [...new Set(initiatives.flatMap((i) => i.measureIds))];
  const measures: MeasureRecord[] = [];
  for (let start = 0; start < ids.length; start += MEASURE_BATCH) {
    const batch = ids.slice(start, start + MEASURE_BATCH);
    const variables = Object.fromEntries(batch.map((id, n) => [`id${n}`, id]));
    const query = `query OpenData_Measures(${batch.map((_, n) => `$id${n}: ID!`).join(', ')}) {
      ${batch.map((_, n) => `m${n}: measure(id: $id${n}) { ${MEASURE_FIELDS} }`).join('\n')}
    }`;
    const data = await execute<Record<string, MeasureNode | null>>(query, variables);
    for (let n = 0; n < batch.length; n++) {
      const node = data[`m${n}`];
      if (!node) continue;
      const { initiative, observations, ...rest } = node;
      measures.push({
        ...rest,
        observations: observations.map(observationRecord),
        initiativeId: initiative.id,
        initiativeCode: initiative.code,
      });
    }
    onProgress?.('measures', Math.min(start + MEASURE_BATCH, ids.length), ids.length);
  }
  return measures;
}

const GEOGRAPHY_QUERY = `query OpenData_Geography {
  wards { number name boundary }
  neighborhoods {
    id slug name nameEs ward wards schoolZone equityPriority equityPriorityReasons { clause }
    povertyRate peopleOfColorShare medianHouseholdIncome sviOverall boundary
    indicators { key vintage source marginOfError }
  }
}`;

/** Council wards and neighborhoods with their published boundaries. */
export async function collectGeography(
  execute: ExecutePublic,
  onProgress?: ProgressListener,
): Promise<{ wards: WardRecord[]; neighborhoods: NeighborhoodRecord[] }> {
  const data = await execute<{ wards: WardRecord[]; neighborhoods: NeighborhoodRecord[] }>(GEOGRAPHY_QUERY);
  onProgress?.('geography', 1, 1);
  return data;
}

const ACCOUNTABILITY_FIGURES = `grouping neighborhood { id name } equityPriority language concerns answered addressed
  medianDaysToFirstResponse medianDaysToAddressed concernsDueWithin30Days answeredWithin30Days shareAnsweredWithin30Days`;

const ACCOUNTABILITY_QUERY = `query OpenData_Accountability {
  accountabilityReport {
    citywide { ${ACCOUNTABILITY_FIGURES} }
    byEquityPriority { ${ACCOUNTABILITY_FIGURES} }
    byNeighborhood { ${ACCOUNTABILITY_FIGURES} }
    byLanguage { ${ACCOUNTABILITY_FIGURES} }
  }
}`;

/** The accountability figures as rows: citywide, by equity priority, by neighborhood (by name, citywide concerns last), by language. */
export async function collectAccountability(
  execute: ExecutePublic,
  onProgress?: ProgressListener,
): Promise<AccountabilityRecord[]> {
  const { accountabilityReport: report } = await execute<{
    accountabilityReport: Record<'citywide', AccountabilityRecord> &
      Record<'byEquityPriority' | 'byNeighborhood' | 'byLanguage', AccountabilityRecord[]>;
  }>(ACCOUNTABILITY_QUERY);
  onProgress?.('accountability', 1, 1);
  const byName = [...report.byNeighborhood].sort((a, b) =>
    !a.neighborhood ? 1 : !b.neighborhood ? -1 : a.neighborhood.name.localeCompare(b.neighborhood.name),
  );
  return [report.citywide, ...report.byEquityPriority, ...byName, ...report.byLanguage];
}

/** Reads everything the datasets need from the public API. */
export async function collectOpenData(
  execute: ExecutePublic,
  onProgress?: ProgressListener,
  now: () => Date = () => new Date(),
): Promise<OpenDataSnapshot> {
  const readAt = now().toISOString();
  const [concerns, conversations, geography, initiatives, accountability] = await Promise.all([
    collectConcerns(execute, onProgress),
    collectConversations(execute, onProgress),
    collectGeography(execute, onProgress),
    collectInitiatives(execute, onProgress),
    collectAccountability(execute, onProgress),
  ]);
  const measures = await collectMeasures(execute, initiatives, onProgress);
  return { concerns, conversations, initiatives, measures, ...geography, accountability, readAt };
}
