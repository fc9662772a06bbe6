import { useId, useState } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

const EquityGapQuery = graphql(`
  query EquityGapPage_Report($ward: Int) {
    equityGapReport(ward: $ward) {
      equityPriority
      theme
      unalignedConcerns
      supportCount
      neighborhood {
        id
        name
        ward
      }
    }
  }
`);

/** Concerns without an aligned initiative or resource, equity-priority areas first (the order the subgraph returns). */
export function EquityGapPage() {
  const { t, theme, number } = useI18n();
  useDocumentTitle(t('equity.heading'));
  const id = useId();
  const [ward, setWard] = useState<number | null>(null);
  const [{ data, fetching, error }] = useQuery({ query: EquityGapQuery, variables: { ward } });
  return (
    <section aria-labelledby="equity-heading">
      <h2 id="equity-heading">{t('equity.heading')}</h2>
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
        {data?.equityGapReport.length === 0 ? <p>{t('state.empty')}</p> : null}
        {data && data.equityGapReport.length > 0 ? (
          <table>
            <caption>{t('equity.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('equity.neighborhood')}</th>
                <th scope="col">{t('equity.theme')}</th>
                <th scope="col">{t('equity.priority')}</th>
                <th scope="col">{t('equity.unaligned')}</th>
                <th scope="col">{t('equity.support')}</th>
              </tr>
            </thead>
            <tbody>
              {data.equityGapReport.map((gap) => (
                <tr
                  key={`${gap.neighborhood?.id ?? '-'}:${gap.theme ?? '-'}`}
                  className={gap.equityPriority ? 'priority' : undefined}
                >
                  <th scope="row">
                    {gap.neighborhood ? (
                      <a
                        href={`${href('concerns')}?${new URLSearchParams({
                          neighborhood: gap.neighborhood.id,
                          ...(gap.theme ? { theme: gap.theme } : {}),
                        })}`}
                      >
                        {gap.neighborhood.name}
                      </a>
                    ) : (
                      t('concern.citywide')
                    )}
                  </th>
                  <td>{gap.theme ? theme(gap.theme) : '—'}</td>
                  <td>{gap.equityPriority ? t('equity.yes') : t('equity.no')}</td>
                  <td>{number(gap.unalignedConcerns)}</td>
                  <td>{number(gap.supportCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </QueryState>
    </section>
  );
}
