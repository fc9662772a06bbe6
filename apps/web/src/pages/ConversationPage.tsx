import { ContentText } from '../components/ContentText.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { ConversationConcernItem, ConversationConcernItemFragment } from './ConversationConcernItem.tsx';

const ConversationPageQuery = graphql(
  `
  query ConversationPage($id: ID!) {
    conversation(id: $id) {
      id
      title
      heldOn
      host
      format
      languages
      participantCount
      summary
      source {
        kind
        attribution
      }
      neighborhoods {
        id
        name
        nameEs
        ward
      }
      concerns {
        id
        ...ConversationConcernItem_Concern
      }
    }
  }
`,
  [ConversationConcernItemFragment],
);

/** A community conversation: where and when it was held, and the concerns heard there with their answers. */
export function ConversationPage({ id }: { id: string }) {
  const { t, locale, date, number, language, plural } = useI18n();
  const [{ data, fetching, error }] = useDeferredQuery({ query: ConversationPageQuery, variables: { id } });
  const conversation = data?.conversation;
  useDocumentTitle(conversation ? conversation.title : data ? t('conversation.notFound') : null);
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data}>
      {data && !conversation ? (
        <section aria-labelledby="conversation-heading">
          <h2 id="conversation-heading">{t('conversation.notFound')}</h2>
        </section>
      ) : null}
      {conversation ? (
        <article aria-labelledby="conversation-heading" className="place-page">
          <h2 id="conversation-heading" lang="en">
            {conversation.title}
          </h2>
          {conversation.summary ? <ContentText language="en">{conversation.summary}</ContentText> : null}
          <dl className="facts">
            <dt>{t('conversation.heldOn')}</dt>
            <dd>
              <time dateTime={conversation.heldOn}>{date(conversation.heldOn)}</time>
            </dd>
            <dt>{t('conversation.neighborhoods')}</dt>
            <dd>
              {conversation.neighborhoods.length === 0
                ? t('conversation.citywide')
                : conversation.neighborhoods.map((n, index) => (
                    <span key={n.id}>
                      {index > 0 ? ', ' : ''}
                      <a href={href('neighborhoods', n.id)}>{locale === 'es' ? n.nameEs : n.name}</a>
                      {n.ward ? ` (${t('map.ward', { number: n.ward })})` : ''}
                    </span>
                  ))}
            </dd>
            {conversation.host ? (
              <>
                <dt>{t('conversation.host')}</dt>
                <dd lang="en">{conversation.host}</dd>
              </>
            ) : null}
            <dt>{t('conversation.format')}</dt>
            <dd>{t(`conversation.format.${conversation.format}`)}</dd>
            <dt>{t('conversation.participants')}</dt>
            <dd>{number(conversation.participantCount)}</dd>
            {conversation.languages.length ? (
              <>
                <dt>{t('conversation.languages')}</dt>
                <dd>{conversation.languages.map((tag) => language(tag)).join(', ')}</dd>
              </>
            ) : null}
            {conversation.source.attribution ? (
              <>
                <dt>{t('conversation.source')}</dt>
                <dd lang="en">{conversation.source.attribution}</dd>
              </>
            ) : null}
          </dl>
          <section aria-labelledby="conversation-concerns">
            <h3 id="conversation-concerns">{t('conversation.concerns')}</h3>
            <p className="count">{plural('concerns.count', conversation.concerns.length)}</p>
            {conversation.concerns.length === 0 ? <p className="muted">{t('conversation.noConcerns')}</p> : null}
            <ul className="concern-list">
              {conversation.concerns.map((concern) => (
                <ConversationConcernItem key={concern.id} concern={concern} show="neighborhood" />
              ))}
            </ul>
          </section>
        </article>
      ) : null}
    </QueryState>
  );
}
