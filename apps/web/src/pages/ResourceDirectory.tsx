import { type FormEvent, useId, useState } from 'react';
import { useQuery } from 'urql';
import { ContentLanguageNote } from '../components/ContentLanguageNote.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { ServiceCard, ServiceCardFragment } from './ServiceCard.tsx';

const ResourceDirectoryQuery = graphql(
  `
  query ResourceDirectory_Services($text: String, $after: String) {
    services(text: $text, first: 30, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...ServiceCard_Service
        }
      }
    }
  }
`,
  [ServiceCardFragment],
);

export function ResourceDirectory() {
  const { t, number } = useI18n();
  useDocumentTitle(t('resources.heading'));
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({ query: ResourceDirectoryQuery, variables: { text } });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('text') ?? '').trim();
    setText(value || null);
  };
  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">{t('resources.heading')}</h2>
      <ContentLanguageNote language="en" />
      <search>
        <form onSubmit={submit} className="inline-form">
          <label htmlFor={`${id}-text`}>{t('resources.search')}</label>
          <input id={`${id}-text`} name="text" type="search" />
          <button type="submit">{t('filter.apply')}</button>
        </form>
      </search>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data ? (
          <p role="status" className="count">
            {number(data.services.totalCount)}
          </p>
        ) : null}
        {data?.services.edges.length === 0 ? <p>{t('state.empty')}</p> : null}
        <ul className="plain grid">
          {data?.services.edges.map(({ node }) => (
            <ServiceCard key={node.id} service={node} />
          ))}
        </ul>
      </QueryState>
    </section>
  );
}
