import type { Alignment, Concern, SuggestionDismissal } from '../generated/prisma/client.ts';

type ConcernTextRow = Pick<Concern, 'summary' | 'detail' | 'language' | 'englishText'>;

export function isEnglish(concern: Pick<Concern, 'language'>): boolean {
  return /^en\b/i.test(concern.language);
}

/** The text as one string, the way it is translated and shown in English. */
export function fullText(concern: Pick<Concern, 'summary' | 'detail'>): string {
  return concern.detail ? `${concern.summary}\n\n${concern.detail}` : concern.summary;
}

export function englishTextOf(concern: ConcernTextRow): string | null {
  return isEnglish(concern) ? fullText(concern) : concern.englishText;
}

export function excludedSuggestionIds(
  alignments: readonly Pick<Alignment, 'serviceId' | 'initiativeId'>[],
  dismissals: readonly Pick<SuggestionDismissal, 'serviceId' | 'initiativeId'>[],
): string[] {
  const ids = new Set<string>();
  for (const row of [...alignments, ...dismissals]) {
    if (row.serviceId) ids.add(row.serviceId);
    if (row.initiativeId) ids.add(row.initiativeId);
  }
  return [...ids];
}
