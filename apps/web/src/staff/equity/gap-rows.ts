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

/** Active services of each theme covering each neighborhood by geometry, row by row (resources' table). */
export interface CoverageMatrix {
  neighborhoodIds: readonly string[];
  themes: readonly string[];
  activeServiceCounts: readonly number[];
}

/** The count for a neighborhood and a theme; null for a citywide or untagged group, or outside the table. */
export function coverageCount(
  matrix: CoverageMatrix | null | undefined,
  neighborhoodId: string | undefined,
  theme: string | null,
): number | null {
  if (!matrix || !neighborhoodId || !theme) return null;
  const i = matrix.neighborhoodIds.indexOf(neighborhoodId);
  const j = matrix.themes.indexOf(theme);
  if (i < 0 || j < 0) return null;
  return matrix.activeServiceCounts[i * matrix.themes.length + j] ?? null;
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
  /** Active services of the theme whose area covers the neighborhood (null: a citywide or untagged group). */
  services: number | null;
  /** The directory filtered by the neighborhood served and the theme: exactly those services. */
  directoryHref: string | null;
  /** Residents raised concerns here and no active service of the theme covers the area: the equity gap. */
  uncovered: boolean;
}

/**
 * The list link keeps every condition of the group: neighborhood (or none), theme (or none), nothing
 * aligned, accepted and published (staff also see drafts, pending concerns and concerns of unpublished
 * conversations in the list; the report counts public ones only).
 */
export function gapRows(
  report: readonly GapReportRow[],
  coverage: CoverageMatrix | null | undefined,
  i18n: Pick<I18n, 't' | 'theme'>,
): GapRow[] {
  return report.map((gap) => {
    const services = coverageCount(coverage, gap.neighborhood?.id, gap.theme);
    return {
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
      services,
      directoryHref:
        gap.neighborhood && gap.theme
          ? `${href('resources')}?${new URLSearchParams({ neighborhood: gap.neighborhood.id, theme: gap.theme })}`
          : null,
      uncovered: services === 0 && gap.unalignedConcerns > 0,
    };
  });
}
