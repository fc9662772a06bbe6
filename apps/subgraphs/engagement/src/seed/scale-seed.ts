import { isEquityPriority } from '@civic/reference-data/neighborhoods';
import {
  pick,
  prng,
  SYNTHETIC_EPOCH,
  SYNTHETIC_WORDS,
  syntheticCounts,
  syntheticId,
  syntheticInitiativeId,
  syntheticNeighborhoods,
  syntheticServiceId,
} from '@civic/reference-data/synthetic';
import { bulkInsert, type ScaleSeeder } from '@civic/server-kit/seed-command';
import { THEME_CODES } from '@civic/taxonomy/themes';
import { loadWards } from './reference.ts';

const ACTOR = 'seed:synthetic';
const DAY = 86_400_000;
const STATUSES = [
  ['NEW', 0.5],
  ['UNDER_REVIEW', 0.2],
  ['ALIGNED', 0.1],
  ['IN_PROGRESS', 0.1],
  ['ADDRESSED', 0.07],
  ['NOT_FEASIBLE', 0.03],
] as const;
const FORMATS = ['IN_PERSON', 'VIRTUAL', 'HYBRID', 'ONLINE'] as const;
const OPENERS = [
  'Please fix the',
  'We need more',
  'Concerned about',
  'Residents ask for better',
  'Too little',
  'Help with',
];

const iso = (ms: number) => new Date(ms).toISOString();

function weighted<T extends string>(random: () => number, table: readonly (readonly [T, number])[]): T {
  let r = random();
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  return table[table.length - 1]?.[0] as T;
}

/** Engagement's part of `civic seed --scale N` (counts in @civic/reference-data/synthetic). */
export const engagementScaleSeed: ScaleSeeder = {
  tables: [
    'AuditEntry',
    'Alignment',
    'ConcernStatusChange',
    'Concern',
    'CitywideConcern',
    'ConversationNeighborhood',
    'Conversation',
    'Neighborhood',
    'Ward',
  ],
  total(scale) {
    const c = syntheticCounts(scale);
    return (
      c.wards +
      c.neighborhoods +
      c.conversations * 2 +
      c.citywideConcerns +
      c.concerns * 2 +
      c.initiativeAlignments +
      c.serviceAlignments
    );
  },
  async run({ sql, scale, inserted }) {
    const counts = syntheticCounts(scale);
    const neighborhoods = syntheticNeighborhoods(scale);
    const random = prng('engagement');

    const wards = loadWards().map((w) => ({ ...w, boundary: w.boundary }));
    await bulkInsert(
      sql,
      'Ward',
      [
        ['number', 'int'],
        ['name', 'text'],
        ['boundary', 'jsonb'],
      ],
      wards,
      inserted,
      1,
    );
    await bulkInsert(
      sql,
      'Neighborhood',
      [
        ['id', 'text'],
        ['slug', 'text'],
        ['name', 'text'],
        ['ward', 'int'],
        ['equityPriority', 'boolean'],
        ['povertyRate', 'float8'],
        ['peopleOfColorShare', 'float8'],
        ['medianHouseholdIncome', 'int'],
        ['createdAt', 'timestamp(3)'],
      ],
      neighborhoods.map((n) => ({ ...n, equityPriority: isEquityPriority(n), createdAt: iso(SYNTHETIC_EPOCH) })),
      inserted,
    );

    const conversations = [];
    const links = [];
    for (let i = 0; i < counts.conversations; i++) {
      const theme = pick(random, THEME_CODES);
      const neighborhood = neighborhoods[i % neighborhoods.length];
      const heldOn = SYNTHETIC_EPOCH - Math.floor(random() * 730) * DAY;
      const published = random() < 0.9;
      const id = syntheticId('conversation', i);
      conversations.push({
        id,
        title: `${neighborhood?.name} conversation ${i} on ${pick(random, SYNTHETIC_WORDS[theme] ?? ['community'])}`,
        heldOn: iso(heldOn),
        host: `Host ${i % 97}`,
        languages: random() < 0.2 ? ['en', 'es'] : ['en'],
        format: pick(random, FORMATS),
        participantCount: 5 + Math.floor(random() * 120),
        summary: `Residents of ${neighborhood?.name} talked about ${(SYNTHETIC_WORDS[theme] ?? []).join(', ')}.`,
        status: published ? 'PUBLISHED' : 'DRAFT',
        publishedAt: published ? iso(heldOn + DAY) : null,
        createdBy: ACTOR,
        createdAt: iso(heldOn),
      });
      links.push({ conversationId: id, neighborhoodId: neighborhood?.id });
    }
    await bulkInsert(
      sql,
      'Conversation',
      [
        ['id', 'text'],
        ['title', 'text'],
        ['heldOn', 'timestamp(3)'],
        ['host', 'text'],
        ['languages', 'text[]'],
        ['format', 'text', '"ConversationFormat"'],
        ['participantCount', 'int'],
        ['summary', 'text'],
        ['status', 'text', '"ConversationStatus"'],
        ['publishedAt', 'timestamp(3)'],
        ['sourceKind', 'text', '"ConversationSourceKind"'],
        ['createdBy', 'text'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      conversations.map((c) => ({ ...c, sourceKind: 'MANUAL', updatedAt: c.createdAt })),
      inserted,
    );
    await bulkInsert(
      sql,
      'ConversationNeighborhood',
      [
        ['conversationId', 'text'],
        ['neighborhoodId', 'text'],
      ],
      links,
      inserted,
    );

    const citywide = [];
    for (let i = 0; i < counts.citywideConcerns; i++) {
      const theme = pick(random, THEME_CODES);
      citywide.push({
        id: syntheticId('citywide-concern', i),
        title: `Citywide ${theme.toLowerCase().replaceAll('_', ' ')} concern ${i}`,
        summary: `Grouped concerns about ${(SYNTHETIC_WORDS[theme] ?? []).slice(0, 3).join(', ')}.`,
        themes: [theme],
        createdBy: ACTOR,
        createdAt: iso(SYNTHETIC_EPOCH - 30 * DAY),
      });
    }
    await bulkInsert(
      sql,
      'CitywideConcern',
      [
        ['id', 'text'],
        ['title', 'text'],
        ['summary', 'text'],
        ['themes', 'text[]'],
        ['createdBy', 'text'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      citywide.map((c) => ({ ...c, updatedAt: c.createdAt })),
      inserted,
    );

    // Concerns in batches, with their first status change and their alignments.
    const chunk = 5_000;
    for (let start = 0; start < counts.concerns; start += chunk) {
      const concerns = [];
      const history = [];
      const alignments = [];
      for (let i = start; i < Math.min(counts.concerns, start + chunk); i++) {
        const id = syntheticId('concern', i);
        const first = pick(random, THEME_CODES);
        const themes = random() < 0.3 ? [...new Set([first, pick(random, THEME_CODES)])] : [first];
        const words = SYNTHETIC_WORDS[first] ?? ['community'];
        const neighborhood = pick(random, neighborhoods);
        const moderationRoll = random();
        const moderation = moderationRoll < 0.9 ? 'ACCEPTED' : moderationRoll < 0.97 ? 'PENDING' : 'REJECTED';
        const createdAt = iso(SYNTHETIC_EPOCH - Math.floor(random() * 730 * 24) * 3_600_000);
        const withContact = random() < 0.1;
        const fromConversation = random() < 0.7;
        concerns.push({
          id,
          summary: `${pick(random, OPENERS)} ${pick(random, words)} and ${pick(random, words)} in ${neighborhood?.name}`,
          detail:
            random() < 0.5
              ? `Neighbors report ${pick(random, words)} problems near block ${i % 400}; ${pick(random, words)} is a worry too.`
              : null,
          themes,
          status: i === 0 ? 'UNDER_REVIEW' : weighted(random, STATUSES),
          moderation: i === 0 ? 'ACCEPTED' : moderation,
          published: i === 0 || moderation === 'ACCEPTED',
          // Support is skewed like real petitions: a few concerns gather most of it. Concern 0 tops the list.
          supportCount: i === 0 ? 5_000 : Math.floor(random() ** 3 * 400),
          mentionCount: 1 + Math.floor(random() * 3),
          neighborhoodId: neighborhood?.id,
          conversationId: fromConversation
            ? syntheticId('conversation', Math.floor(random() * counts.conversations))
            : null,
          citywideConcernId:
            i % 20 === 19 ? syntheticId('citywide-concern', Math.floor(i / 20) % counts.citywideConcerns) : null,
          contactName: withContact ? `Resident ${i}` : null,
          contactEmail: withContact ? `resident${i}@example.org` : null,
          createdAt,
          updatedAt: createdAt,
        });
        history.push({
          id: syntheticId('concern-status', i),
          concernId: id,
          toStatus: 'NEW',
          changedBy: ACTOR,
          changedAt: createdAt,
        });
        if (i % 4 === 0) {
          alignments.push({
            id: syntheticId('alignment-initiative', i),
            concernId: id,
            initiativeId: syntheticInitiativeId((i / 4) % counts.initiatives),
            serviceId: null,
            rationale: 'Synthetic alignment: the initiative addresses this theme.',
            alignedBy: ACTOR,
            alignedAt: createdAt,
          });
        }
        if (i % 5 === 0) {
          alignments.push({
            id: syntheticId('alignment-service', i),
            concernId: id,
            initiativeId: null,
            serviceId: syntheticServiceId(((i / 5) * 7) % counts.services),
            rationale: 'Synthetic alignment: the service helps with this concern.',
            alignedBy: ACTOR,
            alignedAt: createdAt,
          });
        }
      }
      await bulkInsert(
        sql,
        'Concern',
        [
          ['id', 'text'],
          ['summary', 'text'],
          ['detail', 'text'],
          ['themes', 'text[]'],
          ['status', 'text', '"ConcernStatus"'],
          ['moderation', 'text', '"ModerationState"'],
          ['published', 'boolean'],
          ['supportCount', 'int'],
          ['mentionCount', 'int'],
          ['neighborhoodId', 'text'],
          ['conversationId', 'text'],
          ['citywideConcernId', 'text'],
          ['contactName', 'text'],
          ['contactEmail', 'text'],
          ['createdAt', 'timestamp(3)'],
          ['updatedAt', 'timestamp(3)'],
        ],
        concerns,
        inserted,
      );
      await bulkInsert(
        sql,
        'ConcernStatusChange',
        [
          ['id', 'text'],
          ['concernId', 'text'],
          ['toStatus', 'text', '"ConcernStatus"'],
          ['changedBy', 'text'],
          ['changedAt', 'timestamp(3)'],
        ],
        history,
        inserted,
      );
      await bulkInsert(
        sql,
        'Alignment',
        [
          ['id', 'text'],
          ['concernId', 'text'],
          ['initiativeId', 'text'],
          ['serviceId', 'text'],
          ['rationale', 'text'],
          ['alignedBy', 'text'],
          ['alignedAt', 'timestamp(3)'],
        ],
        alignments,
        inserted,
      );
    }
    return {
      wards: wards.length,
      neighborhoods: neighborhoods.length,
      conversations: counts.conversations,
      conversationNeighborhoods: counts.conversations,
      citywideConcerns: counts.citywideConcerns,
      concerns: counts.concerns,
      concernStatusChanges: counts.concerns,
      alignments: counts.initiativeAlignments + counts.serviceAlignments,
    };
  },
};
