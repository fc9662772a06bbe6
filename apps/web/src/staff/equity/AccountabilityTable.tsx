import { NeighborhoodMap } from '../../components/NeighborhoodMap.tsx';
import type { I18n } from '../../i18n/I18n.tsx';
import { useI18n } from '../../i18n/I18n.tsx';

export interface AccountabilityFiguresRow {
  equityPriority: boolean | null;
  neighborhood: { id: string; name: string; ward: number | null } | null;
  concerns: number;
  answered: number;
  medianDaysToFirstResponse: number | null;
  medianDaysToAddressed: number | null;
  shareAnsweredWithin30Days: number | null;
}

export interface AccountabilityData {
  citywide: AccountabilityFiguresRow;
  byEquityPriority: readonly AccountabilityFiguresRow[];
  byNeighborhood: readonly AccountabilityFiguresRow[];
}

const days = (i18n: I18n, value: number | null) =>
  value === null ? '—' : i18n.number(value, { maximumFractionDigits: 1 });
const share = (i18n: I18n, value: number | null) =>
  value === null ? '—' : i18n.number(value, { style: 'percent', maximumFractionDigits: 0 });

/** Response times citywide, priority areas against the rest, then each neighborhood (of the chosen ward). */
export function AccountabilityTable({ report, ward }: { report: AccountabilityData; ward: number | null }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const priority = report.byEquityPriority.find((r) => r.equityPriority === true);
  const other = report.byEquityPriority.find((r) => r.equityPriority === false);
  const places = [...report.byNeighborhood]
    .filter((r) => ward === null || r.neighborhood?.ward === ward)
    .sort((a, b) =>
      !a.neighborhood ? 1 : !b.neighborhood ? -1 : a.neighborhood.name.localeCompare(b.neighborhood.name),
    );
  const rows: { key: string; label: string; figures: AccountabilityFiguresRow; summary?: boolean }[] = [
    { key: 'citywide', label: t('equityPage.allConcerns'), figures: report.citywide, summary: true },
    ...(priority ? [{ key: 'priority', label: t('equityPage.priorityAreas'), figures: priority, summary: true }] : []),
    ...(other ? [{ key: 'other', label: t('equityPage.otherAreas'), figures: other, summary: true }] : []),
    ...places.map((figures) => ({
      key: figures.neighborhood?.id ?? 'none',
      label: figures.neighborhood?.name ?? t('equityPage.noNeighborhood'),
      figures,
    })),
  ];
  const waiting = new Map(
    places.flatMap((r) => (r.neighborhood ? [[r.neighborhood.id, r.concerns - r.answered] as const] : [])),
  );
  return (
    <>
      <NeighborhoodMap values={waiting} label={t('equityPage.mapLabel')} equivalent={t('equityPage.mapEquivalent')} />
      {priority && other ? (
        <p>
          {t('equityPage.comparison', {
            priority: days(i18n, priority.medianDaysToFirstResponse),
            other: days(i18n, other.medianDaysToFirstResponse),
          })}
        </p>
      ) : null}
      <div className="table-scroll">
        <table data-testid="accountability-table">
          <caption>{t('equityPage.accountabilityCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('equityPage.area')}</th>
              <th scope="col">{t('equityPage.concerns')}</th>
              <th scope="col">{t('equityPage.answered')}</th>
              <th scope="col">{t('equityPage.waiting')}</th>
              <th scope="col">{t('equityPage.medianResponse')}</th>
              <th scope="col">{t('equityPage.medianAddressed')}</th>
              <th scope="col">{t('equityPage.within30')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, label, figures, summary }) => (
              <tr key={key} className={summary ? 'summary' : undefined}>
                <th scope="row">{label}</th>
                <td>{number(figures.concerns)}</td>
                <td>{number(figures.answered)}</td>
                <td>{number(figures.concerns - figures.answered)}</td>
                <td>{days(i18n, figures.medianDaysToFirstResponse)}</td>
                <td>{days(i18n, figures.medianDaysToAddressed)}</td>
                <td>{share(i18n, figures.shareAnsweredWithin30Days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note">{t('equityPage.nothingToMeasure')}</p>
      <p className="source">{t('equityPage.source')}</p>
    </>
  );
}
