import { useMutation, useQuery } from 'urql';
import { ContentText } from '../components/ContentText.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

const ReviewDraftsQuery = graphql(`
  query ReviewPage_Drafts {
    conversations(filter: { status: DRAFT }, first: 20) {
      totalCount
      edges {
        node {
          id
          title
          heldOn
          status
          concerns {
            id
            summary
            language
            moderation
          }
        }
      }
    }
  }
`);

const ModerateMutation = graphql(`
  mutation ReviewPage_Moderate($concernId: ID!, $moderation: ModerationState!) {
    moderateConcern(concernId: $concernId, moderation: $moderation) {
      id
      moderation
    }
  }
`);

const PublishMutation = graphql(`
  mutation ReviewPage_Publish($id: ID!) {
    publishConversation(id: $id) {
      id
      status
      publishedAt
    }
  }
`);

/** Staff: accept or reject each concern of a draft, then publish the conversation. */
export function ReviewPage() {
  const { t, date } = useI18n();
  useDocumentTitle(t('review.heading'));
  const [{ data, fetching, error }] = useQuery({ query: ReviewDraftsQuery });
  const [moderation, moderate] = useMutation(ModerateMutation);
  const [publishing, publish] = useMutation(PublishMutation);
  const drafts = data?.conversations.edges.map((e) => e.node).filter((c) => c.status === 'DRAFT') ?? [];
  const mutationError = moderation.error ?? publishing.error;
  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">{t('review.heading')}</h2>
      {mutationError ? (
        <p role="alert" className="error">
          {mutationError.graphQLErrors[0]?.message ?? mutationError.message}
        </p>
      ) : null}
      {publishing.data ? <p role="status">{t('review.published')}</p> : null}
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data && drafts.length === 0 ? <p>{t('review.noDrafts')}</p> : null}
        {drafts.map((conversation) => (
          <article key={conversation.id} className="card" aria-labelledby={`draft-${conversation.id}`}>
            <h3 id={`draft-${conversation.id}`}>
              {conversation.title} · {date(conversation.heldOn)}
            </h3>
            <ul className="plain">
              {conversation.concerns.map((concern) => (
                <li key={concern.id} className="review-row">
                  <ContentText as="span" language={concern.language}>
                    {concern.summary}
                  </ContentText>{' '}
                  <span className={`badge moderation-${concern.moderation.toLowerCase()}`}>
                    {t('review.moderation', { state: t(`moderation.${concern.moderation}`) })}
                  </span>{' '}
                  <button
                    type="button"
                    aria-label={`${t('review.accept')}: ${concern.summary}`}
                    disabled={concern.moderation === 'ACCEPTED'}
                    onClick={() => void moderate({ concernId: concern.id, moderation: 'ACCEPTED' })}
                  >
                    {t('review.accept')}
                  </button>{' '}
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`${t('review.reject')}: ${concern.summary}`}
                    disabled={concern.moderation === 'REJECTED'}
                    onClick={() => void moderate({ concernId: concern.id, moderation: 'REJECTED' })}
                  >
                    {t('review.reject')}
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" disabled={publishing.fetching} onClick={() => void publish({ id: conversation.id })}>
              {t('review.publish')}
            </button>
          </article>
        ))}
      </QueryState>
    </section>
  );
}
