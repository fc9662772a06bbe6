import { type FormEvent, useId } from 'react';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { THEME_LABELS } from '../i18n/messages.ts';

const ConcernFiltersQuery = graphql(`
  query ConcernFilters_Neighborhoods {
    neighborhoods {
      id
      name
      ward
      equityPriority
    }
  }
`);

export const CONCERN_STATUSES = ['NEW', 'UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE'] as const;
export const FILTER_KEYS = ['q', 'neighborhood', 'ward', 'theme', 'status', 'equity'] as const;
/** The `neighborhood` and `theme` value for concerns that name none (citywide, untagged). */
export const NONE = 'none';

/** The filters live in the address (hash query) so a filtered list can be shared. */
export function ConcernFilters({
  values,
  onChange,
}: {
  values: URLSearchParams;
  onChange(next: URLSearchParams): void;
}) {
  const { t, theme } = useI18n();
  const id = useId();
  const [{ data }] = useDeferredQuery({ query: ConcernFiltersQuery });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = form.get(key);
      if (typeof value === 'string' && value.trim()) next.set(key, value.trim());
    }
    onChange(next);
  };
  const field = (name: string) => `${id}-${name}`;
  return (
    <form className="filters" onSubmit={submit} aria-labelledby={field('heading')} key={values.toString()}>
      <h3 id={field('heading')}>{t('filter.heading')}</h3>
      <label htmlFor={field('q')}>{t('filter.text')}</label>
      <input id={field('q')} name="q" type="search" defaultValue={values.get('q') ?? ''} />
      <label htmlFor={field('neighborhood')}>{t('filter.neighborhood')}</label>
      <select id={field('neighborhood')} name="neighborhood" defaultValue={values.get('neighborhood') ?? ''}>
        <option value="">{t('filter.any')}</option>
        <option value={NONE}>{t('filter.noNeighborhood')}</option>
        {data?.neighborhoods.map((n) => (
          <option key={n.id} value={n.id}>
            {n.name}
          </option>
        ))}
      </select>
      <label htmlFor={field('ward')}>{t('filter.ward')}</label>
      <select id={field('ward')} name="ward" defaultValue={values.get('ward') ?? ''}>
        <option value="">{t('filter.any')}</option>
        {[1, 2, 3].map((w) => (
          <option key={w} value={w}>
            {t('map.ward', { number: w })}
          </option>
        ))}
      </select>
      <label htmlFor={field('theme')}>{t('filter.theme')}</label>
      <select id={field('theme')} name="theme" defaultValue={values.get('theme') ?? ''}>
        <option value="">{t('filter.any')}</option>
        <option value={NONE}>{t('filter.noTheme')}</option>
        {Object.keys(THEME_LABELS.en).map((code) => (
          <option key={code} value={code}>
            {theme(code)}
          </option>
        ))}
      </select>
      <label htmlFor={field('status')}>{t('filter.status')}</label>
      <select id={field('status')} name="status" defaultValue={values.get('status') ?? ''}>
        <option value="">{t('filter.any')}</option>
        {CONCERN_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`cstatus.${s}`)}
          </option>
        ))}
      </select>
      <div className="check">
        <input
          id={field('equity')}
          name="equity"
          type="checkbox"
          value="1"
          defaultChecked={values.get('equity') === '1'}
        />
        <label htmlFor={field('equity')}>{t('filter.equity')}</label>
      </div>
      <div className="actions">
        <button type="submit">{t('filter.apply')}</button>
        <button type="button" className="secondary" onClick={() => onChange(new URLSearchParams())}>
          {t('filter.clear')}
        </button>
      </div>
    </form>
  );
}
