import { useEffect, useId, useMemo, useState } from 'react';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate } from '../router.ts';
import { type CONCERN_STATUSES, ConcernFilters, NONE } from './ConcernFilters.tsx';
import { ConcernListMap } from './ConcernListMap.tsx';
import { type ConcernFilterInput, type ConcernOrder, ConcernPageOfList } from './ConcernPageOfList.tsx';

const ORDERS = ['NEWEST', 'MOST_SUPPORTED'] as const satisfies readonly ConcernOrder[];
const WIDE_SCREEN = '(min-width: 48rem)';

function toFilter(params: URLSearchParams): ConcernFilterInput {
  const filter: ConcernFilterInput = {};
  const q = params.get('q');
  if (q) filter.search = q;
  const neighborhood = params.get('neighborhood');
  if (neighborhood === NONE) filter.withoutNeighborhood = true;
  else if (neighborhood) filter.neighborhoodId = neighborhood;
  const ward = Number(params.get('ward'));
  if (ward) filter.ward = ward;
  const theme = params.get('theme');
  if (theme === NONE) filter.withoutTheme = true;
  else if (theme) filter.themes = [theme as NonNullable<ConcernFilterInput['themes']>[number]];
  const status = params.get('status');
  if (status) filter.status = [status as (typeof CONCERN_STATUSES)[number]];
  if (params.get('equity') === '1') filter.equityPriority = true;
  // Kept from the equity gap page's links, so a list shows exactly the concerns a gap counts.
  if (params.get('aligned') === '0') filter.aligned = false;
  if (params.get('moderation') === 'ACCEPTED') filter.moderation = 'ACCEPTED';
  if (params.get('published') === '1') filter.published = true;
  return filter;
}

export function ConcernList({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const id = useId();
  useDocumentTitle(t('concerns.heading'));
  const key = query.toString();
  const filter = useMemo(() => toFilter(new URLSearchParams(key)), [key]);
  const orderBy: ConcernOrder = query.get('sort') === 'MOST_SUPPORTED' ? 'MOST_SUPPORTED' : 'NEWEST';
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  // On a phone the results come first: the filters and the map wait behind one control.
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia(WIDE_SCREEN).matches);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start again from the first page
  useEffect(() => setCursors([null]), [key]);
  const apply = (next: URLSearchParams) => navigate(`/concerns${next.size ? `?${next}` : ''}`);
  const withParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(key);
    if (value) next.set(name, value);
    else next.delete(name);
    apply(next);
  };
  const neighborhoodHref = (neighborhood: string) => {
    const next = new URLSearchParams(key);
    next.set('neighborhood', neighborhood);
    return `#/concerns?${next}`;
  };
  const applyFilters = (next: URLSearchParams) => {
    const sort = query.get('sort');
    if (sort) next.set('sort', sort);
    apply(next);
  };
  return (
    <section aria-labelledby="concerns-heading">
      <h2 id="concerns-heading">{t('concerns.heading')}</h2>
      {/* Results come first: on a phone the first concern is on screen, the filters and map after the list. */}
      <div className="with-sidebar results-first">
        <div className="concern-results">
          <div className="sort">
            <label htmlFor={`${id}-sort`}>{t('concerns.sort')}</label>
            <select
              id={`${id}-sort`}
              value={orderBy}
              onChange={(event) => withParam('sort', event.target.value === 'NEWEST' ? null : event.target.value)}
            >
              {ORDERS.map((order) => (
                <option key={order} value={order}>
                  {t(`concerns.sort.${order}`)}
                </option>
              ))}
            </select>
          </div>
          {cursors.map((after, index) => (
            <ConcernPageOfList
              key={`${key}:${after ?? ''}`}
              filter={filter}
              orderBy={orderBy}
              after={after}
              isFirst={index === 0}
              isLast={index === cursors.length - 1}
              onMore={(cursor) => setCursors((list) => [...list, cursor])}
            />
          ))}
        </div>
        <details
          className="filters-panel"
          open={filtersOpen}
          onToggle={(event) => setFiltersOpen(event.currentTarget.open)}
        >
          <summary>{t('concerns.filters')}</summary>
          <ConcernFilters values={query} onChange={applyFilters} />
          {filtersOpen ? <ConcernListMap hrefFor={neighborhoodHref} /> : null}
        </details>
      </div>
    </section>
  );
}
