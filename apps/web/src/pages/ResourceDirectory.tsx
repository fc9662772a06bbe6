import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { QueryState } from '../components/QueryState.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql, type VariablesOf } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { THEME_LABELS } from '../i18n/messages.ts';
import { navigate } from '../router.ts';
import { ServiceCard, ServiceCardFragment, ServiceContactFragment } from './ServiceCard.tsx';

const PAGE_SIZE = 12;
const WIDE_SCREEN = '(min-width: 48rem)';
/** Languages the directory's services are offered in, as the filter lists them. */
const OFFERED_LANGUAGES = ['es', 'en', 'fr', 'ar', 'zh', 'vi', 'ko', 'sw'];
export const DIRECTORY_FILTER_KEYS = ['q', 'theme', 'language', 'neighborhood', 'all'] as const;

const ResourceDirectoryQuery = graphql(
  `
  query ResourceDirectory_Services(
    $text: String
    $themes: [Theme!]
    $language: String
    $neighborhoodId: ID
    $statuses: [ServiceStatus!]
    $contentLanguage: String!
    $first: Int!
    $after: String
  ) {
    services(
      text: $text
      themes: $themes
      language: $language
      neighborhoodId: $neighborhoodId
      statuses: $statuses
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...ServiceCard_Service
          ...ServiceCard_Contact
        }
      }
    }
  }
`,
  [ServiceCardFragment, ServiceContactFragment],
);

const DirectoryNeighborhoodsQuery = graphql(`
  query ResourceDirectory_Neighborhoods {
    neighborhoods {
      id
      name
    }
  }
`);

type DirectoryVariables = VariablesOf<typeof ResourceDirectoryQuery>;
type Filter = Omit<DirectoryVariables, 'contentLanguage' | 'first' | 'after'>;

function toFilter(params: URLSearchParams): Filter {
  const theme = params.get('theme');
  return {
    text: params.get('q') || null,
    themes: theme ? [theme as NonNullable<Filter['themes']>[number]] : null,
    language: params.get('language') || null,
    neighborhoodId: params.get('neighborhood') || null,
    // Services that are closed or gone are left out unless asked for, never mixed in silently.
    statuses: params.get('all') === '1' ? null : ['ACTIVE'],
  };
}

function DirectoryFilters({ values, onChange }: { values: URLSearchParams; onChange(next: URLSearchParams): void }) {
  const { t, theme, language } = useI18n();
  const id = useId();
  const [{ data }] = useDeferredQuery({ query: DirectoryNeighborhoodsQuery });
  const field = (name: string) => `${id}-${name}`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of DIRECTORY_FILTER_KEYS) {
      const value = form.get(key);
      if (typeof value === 'string' && value.trim()) next.set(key, value.trim());
    }
    onChange(next);
  };
  const neighborhoods = [...(data?.neighborhoods ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <search>
      <form className="filters" onSubmit={submit} aria-labelledby={field('heading')} key={values.toString()}>
        <h3 id={field('heading')}>{t('directory.filters')}</h3>
        <label htmlFor={field('q')}>{t('directory.search')}</label>
        <input id={field('q')} name="q" type="search" defaultValue={values.get('q') ?? ''} />
        <label htmlFor={field('theme')}>{t('filter.theme')}</label>
        <select id={field('theme')} name="theme" defaultValue={values.get('theme') ?? ''}>
          <option value="">{t('filter.any')}</option>
          {Object.keys(THEME_LABELS.en).map((code) => (
            <option key={code} value={code}>
              {theme(code)}
            </option>
          ))}
        </select>
        <label htmlFor={field('language')}>{t('directory.language')}</label>
        <select id={field('language')} name="language" defaultValue={values.get('language') ?? ''}>
          <option value="">{t('filter.any')}</option>
          {OFFERED_LANGUAGES.map((tag) => (
            <option key={tag} value={tag}>
              {language(tag)}
            </option>
          ))}
        </select>
        <label htmlFor={field('neighborhood')}>{t('directory.neighborhood')}</label>
        <select id={field('neighborhood')} name="neighborhood" defaultValue={values.get('neighborhood') ?? ''}>
          <option value="">{t('filter.any')}</option>
          {neighborhoods.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
        <div className="check">
          <input id={field('all')} name="all" type="checkbox" value="1" defaultChecked={values.get('all') === '1'} />
          <label htmlFor={field('all')}>{t('directory.includeClosed')}</label>
        </div>
        <div className="actions">
          <button type="submit">{t('filter.apply')}</button>
          <button type="button" className="secondary" onClick={() => onChange(new URLSearchParams())}>
            {t('filter.clear')}
          </button>
        </div>
      </form>
    </search>
  );
}

function DirectoryPage({
  filter,
  after,
  isFirst,
  isLast,
  onMore,
}: {
  filter: Filter;
  after: string | null;
  isFirst: boolean;
  isLast: boolean;
  onMore(cursor: string): void;
}) {
  const { t, plural, locale } = useI18n();
  const [{ data, fetching, error }] = useDeferredQuery({
    query: ResourceDirectoryQuery,
    variables: { ...filter, contentLanguage: locale, first: PAGE_SIZE, after },
  });
  const services = data?.services;
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data}>
      {isFirst && services ? (
        <p role="status" className="count">
          {plural('directory.count', services.totalCount)}
        </p>
      ) : null}
      {isFirst && services?.totalCount === 0 ? <p>{t('directory.empty')}</p> : null}
      <ul className="plain grid">
        {services?.edges.map(({ node }) => (
          <ServiceCard key={node.id} service={node} contact={node} />
        ))}
      </ul>
      {isLast && services?.pageInfo.hasNextPage && services.pageInfo.endCursor ? (
        <button type="button" onClick={() => onMore(services.pageInfo.endCursor as string)}>
          {t('directory.more')}
        </button>
      ) : null}
    </QueryState>
  );
}

/** The resource directory: search and filters in the address, cards with contact, hours, fees and how to apply. */
export function ResourceDirectory({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  useDocumentTitle(t('resources.heading'));
  const key = query.toString();
  const filter = useMemo(() => toFilter(new URLSearchParams(key)), [key]);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia(WIDE_SCREEN).matches);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start again from the first page
  useEffect(() => setCursors([null]), [key]);
  const apply = (next: URLSearchParams) => navigate(`/resources${next.size ? `?${next}` : ''}`);
  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">{t('resources.heading')}</h2>
      <div className="with-sidebar">
        <details className="filters-panel" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
          <summary>{t('directory.filters')}</summary>
          <DirectoryFilters values={query} onChange={apply} />
        </details>
        <div>
          {cursors.map((after, index) => (
            <DirectoryPage
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
