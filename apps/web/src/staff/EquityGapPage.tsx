import { useId, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { AccountabilityTable } from './equity/AccountabilityTable.tsx';
import { downloadCsv, toCsv } from './equity/csv-export.ts';
import { GapChart } from './equity/GapChart.tsx';
import { EquityGapQuery } from './equity/gap-query.ts';
import { type GapRow, gapRows } from './equity/gap-rows.ts';

/**
 * How many active services of the row's theme cover its neighborhood, linked to the directory showing
 * them; none is marked in words (not by colour alone) as the equity gap.
 */
function ServicesCell({ row }: { row: GapRow }) {
  const { t, plural } = useI18n();
  if (row.services === null || row.directoryHref === null) return <>{t('equityPage.servicesNotApplicable')}</>;
  if (row.services === 0) return <strong className="gap-flag">{t('equityPage.noService')}</strong>;
  return (
    <a href={row.directoryHref}>
      {plural('equityPage.servicesLink', row.services)}
      <span className="sr-only">
        {' '}
        ({row.place}, {row.theme})
      </span>
    </a>
  );
}

/**
 * Concerns without an aligned initiative or resource (equity-priority areas first, the order the
 * subgraph returns) as a chart and a table with CSV export and list links, then how long residents
 * wait for a first public response.
 */
export function EquityGapPage() {
  const i18n = useI18n();
  const { t, number, plural } = i18n;
  useDocumentTitle(t('equity.heading'));
  const id = useId();
  const [ward, setWard] = useState<number | null>(null);
  const [{ data, fetching, error }] = useQuery({ query: EquityGapQuery, variables: { ward } });
  const rows = useMemo(
    () => (data ? gapRows(data.equityGapReport, data.serviceCoverageMatrix, i18n) : []),
    [data, i18n],
  );
  const header = [
    t('equity.neighborhood'),
    t('equity.theme'),
    t('equity.priority'),
    t('equity.unaligned'),
    t('equity.support'),
    t('equityPage.servicesColumn'),
  ];
  const cells = (row: GapRow) => [row.place, row.theme, row.priority ? t('equity.yes') : t('equity.no')];
  const exportCsv = () => {
    const suffix = ward === null ? '' : `-${t('map.ward', { number: ward }).toLowerCase().replace(/\s+/g, '-')}`;
    downloadCsv(
      `${t('equityPage.exportName')}${suffix}.csv`,
      toCsv(
        header,
        rows.map((row) => [...cells(row), row.count, row.support, row.services ?? '']),
      ),
    );
  };
  return (
    <section aria-labelledby="equity-heading">
      <h2 id="equity-heading">{t('equity.heading')}</h2>
      <p>{t('equityPage.intro')}</p>
      <label htmlFor={`${id}-ward`}>{t('filter.ward')}</label>
      <select
        id={`${id}-ward`}
        value={ward ?? ''}
        onChange={(e) => setWard(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">{t('filter.any')}</option>
        {[1, 2, 3].map((w) => (
          <option key={w} value={w}>
            {t('map.ward', { number: w })}
          </option>
        ))}
      </select>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data && rows.length === 0 ? <p>{t('state.empty')}</p> : null}
        {data && rows.length > 0 ? (
          <>
            <GapChart rows={rows} />
            <h3 id={`${id}-table`}>{t('equityPage.tableHeading')}</h3>
            <button type="button" onClick={exportCsv}>
              {t('equityPage.export')}
            </button>
            <div className="table-scroll">
              <table data-testid="equity-gap-table">
                <caption>{t('equity.caption')}</caption>
                <thead>
                  <tr>
                    {header.map((name) => (
                      <th scope="col" key={name}>
                        {name}
                      </th>
                    ))}
                    <th scope="col">{t('equityPage.listColumn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr
                      key={row.key}
                      className={
                        [row.priority ? 'priority' : '', row.uncovered ? 'uncovered' : ''].join(' ').trim() || undefined
                      }
                    >
                      <th scope="row">{row.place}</th>
                      <td>{row.theme}</td>
                      <td>{row.priority ? t('equity.yes') : t('equity.no')}</td>
                      <td>{number(row.count)}</td>
                      <td>{number(row.support)}</td>
                      <td data-services={row.services ?? ''}>
                        <ServicesCell row={row} />
                      </td>
                      <td>
                        <a href={row.listHref} data-count={row.count}>
                          {plural('equityPage.listLink', row.count)}
                          <span className="sr-only">
                            {' '}
                            ({row.place}, {row.theme})
                          </span>
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="note">{t('equityPage.dashNote')}</p>
            <p className="note">{t('equityPage.servicesNote')}</p>
            <p className="source">{t('equityPage.gapSource')}</p>
          </>
        ) : null}
        {data ? (
          <section aria-labelledby={`${id}-accountability`}>
            <h3 id={`${id}-accountability`}>{t('equityPage.accountabilityHeading')}</h3>
            <p>{t('equityPage.accountabilityIntro')}</p>
            <AccountabilityTable report={data.accountabilityReport} ward={ward} />
          </section>
        ) : null}
      </QueryState>
    </section>
  );
}
