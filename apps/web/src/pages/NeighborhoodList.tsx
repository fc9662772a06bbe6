import { NeighborhoodMap } from '../components/NeighborhoodMap.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

const NeighborhoodListQuery = graphql(`
  query NeighborhoodList {
    neighborhoods {
      id
      name
      nameEs
      ward
      equityPriority
      peopleOfColorShare
    }
  }
`);

/** Every published neighborhood, on a map by people-of-color share and in a table by ward. */
export function NeighborhoodList() {
  const { t, locale, number } = useI18n();
  useDocumentTitle(t('neighborhoods.heading'));
  const [{ data, fetching, error }] = useDeferredQuery({ query: NeighborhoodListQuery });
  const neighborhoods = data?.neighborhoods ?? [];
  const nameOf = (n: { name: string; nameEs: string }) => (locale === 'es' ? n.nameEs : n.name);
  const percent = (v: number) => number(v, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <section aria-labelledby="neighborhoods-heading" className="place-page">
      <h2 id="neighborhoods-heading">{t('neighborhoods.heading')}</h2>
      <p>{t('neighborhoods.intro')}</p>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        <NeighborhoodMap
          values={new Map(neighborhoods.map((n) => [n.id, n.peopleOfColorShare ?? null]))}
          label={t('neighborhoods.mapLabel')}
          format={percent}
          hrefFor={(id) => href('neighborhoods', id)}
        />
        <div className="table-scroll">
          <table>
            <caption>{t('neighborhoods.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('neighborhoods.name')}</th>
                <th scope="col">{t('neighborhoods.ward')}</th>
                <th scope="col">{t('neighborhoods.peopleOfColor')}</th>
                <th scope="col">{t('neighborhoods.priority')}</th>
              </tr>
            </thead>
            <tbody>
              {neighborhoods.map((n) => (
                <tr key={n.id}>
                  <th scope="row">
                    <a href={href('neighborhoods', n.id)}>{nameOf(n)}</a>
                  </th>
                  <td>{n.ward ? t('map.ward', { number: n.ward }) : t('neighborhoods.outside')}</td>
                  <td>{n.peopleOfColorShare === null ? t('nmap.noData') : percent(n.peopleOfColorShare)}</td>
                  <td>{n.equityPriority ? t('neighborhoods.yes') : t('neighborhoods.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </QueryState>
    </section>
  );
}
