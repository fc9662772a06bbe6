import type { PublishedConcern } from '@civic/client/operations';

/** The CSV columns, in order. */
export const COLUMNS = [
  'id',
  'summary',
  'themes',
  'status',
  'supportCount',
  'mentionCount',
  'neighborhood',
  'ward',
  'equityPriority',
  'conversation',
  'heldOn',
  'cityResponse',
  'createdAt',
] as const;

export function concernRow(concern: PublishedConcern): string[] {
  return [
    concern.id,
    concern.summary,
    concern.themes.join(';'),
    concern.status,
    String(concern.supportCount),
    String(concern.mentionCount),
    concern.neighborhood?.name ?? '',
    concern.ward === null ? '' : String(concern.ward),
    concern.neighborhood ? String(concern.neighborhood.equityPriority) : '',
    concern.conversation?.title ?? '',
    concern.conversation?.heldOn ?? '',
    concern.cityResponse ?? '',
    concern.createdAt,
  ];
}
