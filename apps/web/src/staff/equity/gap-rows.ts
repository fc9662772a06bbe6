import type { I18n } from '../../i18n/I18n.tsx';
import { NONE } from '../../pages/ConcernFilters.tsx';
import { href } from '../../router.ts';

export interface GapReportRow {
  equityPriority: boolean;
  theme: string | null;
  unalignedConcerns: number;
  supportCount: number;
  neighborhood: { id: string; name: string; ward: number | null } | null;
}

/** One row of the table, the chart and the CSV: what is shown, in the interface language. */
export interface GapRow {
  key: string;
  place: string;
  theme: string;
  priority: boolean;
  count: number;
  support: number;
  /** The concerns list showing exactly these concerns. */
  listHref: string;
}

/**
 * The list link keeps every condition of the group: neighborhood (or none), theme (or none), nothing
 * aligned, accepted and published (staff also see drafts, pending concerns and concerns of unpublished
 * conversations in the list; the report counts public ones only).
 */
export function gapRows(report: readonly GapReportRow[], i18n: Pick<I18n, 't' | 'theme'>): GapRow[] {
  return report.map((gap) => ({
    key: `${gap.neighborhood?.id ?? '-'}:${gap.theme ?? '-'}`,
    place: gap.neighborhood?.name ?? i18n.t('equityPage.citywide'),
    theme: gap.theme ? i18n.theme(gap.theme) : i18n.t('equityPage.untagged'),
    priority: gap.equityPriority,
    count: gap.unalignedConcerns,
    support: gap.supportCount,
    listHref: `${href('concerns')}?${new URLSearchParams({
      neighborhood: gap.neighborhood?.id ?? NONE,
      theme: gap.theme ?? NONE,
      aligned: '0',
      moderation: 'ACCEPTED',
      published: '1',
    })}`,
  }));
}
