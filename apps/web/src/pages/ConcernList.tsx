import { useEffect, useMemo, useState } from 'react';
import { WardMap } from '../components/WardMap.tsx';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate } from '../router.ts';
import { type CONCERN_STATUSES, ConcernFilters } from './ConcernFilters.tsx';
import { type ConcernFilterInput, ConcernPageOfList } from './ConcernPageOfList.tsx';

function toFilter(params: URLSearchParams): ConcernFilterInput {
  const filter: ConcernFilterInput = {};
  const q = params.get('q');
  if (q) filter.search = q;
  const neighborhood = params.get('neighborhood');
  if (neighborhood) filter.neighborhoodId = neighborhood;
  const ward = Number(params.get('ward'));
  if (ward) filter.ward = ward;
  const theme = params.get('theme');
  if (theme) filter.themes = [theme as NonNullable<ConcernFilterInput['themes']>[number]];
  const status = params.get('status');
  if (status) filter.status = [status as (typeof CONCERN_STATUSES)[number]];
  if (params.get('equity') === '1') filter.equityPriority = true;
  return filter;
}

export function ConcernList({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const key = query.toString();
  const filter = useMemo(() => toFilter(new URLSearchParams(key)), [key]);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start again from the first page
  useEffect(() => setCursors([null]), [key]);
  const apply = (next: URLSearchParams) => navigate(`/concerns${next.size ? `?${next}` : ''}`);
  const selectWard = (ward: number | null) => {
    const next = new URLSearchParams(key);
    if (ward) next.set('ward', String(ward));
    else next.delete('ward');
    apply(next);
  };
  return (
    <section aria-labelledby="concerns-heading">
      <h2 id="concerns-heading">{t('concerns.heading')}</h2>
      <div className="with-sidebar">
        <aside>
          <ConcernFilters values={query} onChange={apply} />
          <WardMap
            selected={filter.ward ?? null}
            onSelect={selectWard}
            selectedNeighborhood={filter.neighborhoodId ?? null}
            onSelectNeighborhood={(neighborhood) => {
              const next = new URLSearchParams(key);
              if (neighborhood) next.set('neighborhood', neighborhood);
              else next.delete('neighborhood');
              apply(next);
            }}
          />
        </aside>
        <div>
          {cursors.map((after, index) => (
            <ConcernPageOfList
              key={`${key}:${after ?? ''}`}
              filter={filter}
              after={after}
              isFirst={index === 0}
              isLast={index === cursors.length - 1}
              onMore={(cursor) => setCursors((list) => [...list, cursor])}
            />
          ))}
        </div>
      </div>
    </section>
  );
}
