import { useId, useState } from 'react';
import { NeighborhoodMap } from '../components/NeighborhoodMap.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

const ConcernListMapQuery = graphql(`
  query ConcernListMap_ByNeighborhood {
    neighborhoods {
      id
    }
    accountabilityReport {
      byNeighborhood {
        concerns
        answered
        neighborhood {
          id
          name
          nameEs
        }
      }
    }
  }
`);

type Measure = 'count' | 'unanswered';

/**
 * Published concerns by neighborhood on the map (how many, or the share still without a public
 * answer), with the same figures in a table; a neighborhood on the map lists its concerns.
 */
export function ConcernListMap({ hrefFor }: { hrefFor(neighborhoodId: string): string }) {
  const { t, locale, number } = useI18n();
  const id = useId();
  const [measure, setMeasure] = useState<Measure>('count');
  const [{ data }] = useDeferredQuery({ query: ConcernListMapQuery });
  const rows = (data?.accountabilityReport.byNeighborhood ?? [])
    .filter((row) => row.neighborhood !== null)
    .map((row) => ({ ...row, neighborhood: row.neighborhood as NonNullable<typeof row.neighborhood> }));
  const counts = new Map(rows.map((row) => [row.neighborhood.id, row]));
  // A neighborhood without a published concern has 0 concerns (a real count) and no share (nothing to answer).
  const figureOf = (neighborhoodId: string): number | null => {
    const row = counts.get(neighborhoodId);
    if (measure === 'count') return row?.concerns ?? 0;
    return row && row.concerns > 0 ? (row.concerns - row.answered) / row.concerns : null;
  };
  const values = new Map((data?.neighborhoods ?? []).map((n) => [n.id, figureOf(n.id)] as const));
  const percent = (v: number) => number(v, { style: 'percent', maximumFractionDigits: 0 });
  const label = measure === 'count' ? t('cmap.count') : t('cmap.unanswered');
  const nameOf = (n: { name: string; nameEs: string }) => (locale === 'es' ? n.nameEs : n.name);
  return (
    <section aria-labelledby={`${id}-heading`} className="concern-map">
      <h3 id={`${id}-heading`}>{t('cmap.heading')}</h3>
      <label htmlFor={`${id}-measure`}>{t('cmap.show')}</label>
      <select id={`${id}-measure`} value={measure} onChange={(event) => setMeasure(event.target.value as Measure)}>
        <option value="count">{t('cmap.count')}</option>
        <option value="unanswered">{t('cmap.unanswered')}</option>
      </select>
      {data ? (
        <NeighborhoodMap
          values={values}
          label={label}
          format={measure === 'count' ? (v) => number(v) : percent}
          hrefFor={hrefFor}
          equivalent={t('cmap.equivalent')}
        />
      ) : null}
      <details className="cmap-table">
        <summary>{t('cmap.table')}</summary>
        <table>
          <caption>{t('cmap.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cmap.neighborhood')}</th>
              <th scope="col">{t('cmap.concerns')}</th>
              <th scope="col">{t('cmap.answered')}</th>
            </tr>
          </thead>
          <tbody>
            {[...rows]
              .sort((a, b) => b.concerns - a.concerns || nameOf(a.neighborhood).localeCompare(nameOf(b.neighborhood)))
              .map((row) => (
                <tr key={row.neighborhood.id}>
                  <th scope="row">
                    <a href={hrefFor(row.neighborhood.id)}>{nameOf(row.neighborhood)}</a>
                  </th>
                  <td>{number(row.concerns)}</td>
                  <td>{number(row.answered)}</td>
                </tr>
              ))}
          </tbody>
        </table>
        <p className="muted">{t('cmap.others')}</p>
      </details>
    </section>
  );
}
