import { type FormEvent, useId, useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { ContentText } from '../components/ContentText.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { THEME_LABELS, type ThemeCode } from '../i18n/messages.ts';

const PAGE_SIZE = 10;
const MAX_THEMES = 5;
const THEME_CODES = Object.keys(THEME_LABELS.en) as ThemeCode[];

const ReviewDraftsQuery = graphql(`
  query ReviewPage_Drafts($after: String) {
    conversations(filter: { status: DRAFT }, first: 10, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
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
            themes
            neighborhoodId
          }
        }
      }
    }
  }
`);

const ReviewNeighborhoodsQuery = graphql(`
  query ReviewPage_Neighborhoods {
    neighborhoods {
      id
      name
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

const ModerateManyMutation = graphql(`
  mutation ReviewPage_ModerateMany($input: ModerateConcernsInput!) {
    moderateConcerns(input: $input) {
      id
      moderation
    }
  }
`);

const UpdateConcernMutation = graphql(`
  mutation ReviewPage_UpdateConcern($conversationId: ID!, $concern: ConcernPatchInput!) {
    updateConversation(id: $conversationId, input: { updateConcerns: [$concern] }) {
      id
      concerns {
        id
        summary
        language
        moderation
        themes
        neighborhoodId
      }
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

type Draft = ResultOf<typeof ReviewDraftsQuery>['conversations']['edges'][number]['node'];
type DraftConcern = Draft['concerns'][number];
type Neighborhoods = ReadonlyMap<string, string>;

const errorText = (error: CombinedError) => error.graphQLErrors[0]?.message ?? error.message;

/**
 * Staff: each draft conversation with its concerns: edit a concern's summary, themes and
 * neighborhood, accept or reject each (or every pending one at once), preview what the public
 * will see, confirm, publish. Drafts come a page at a time.
 */
export function ReviewPage() {
  const { t } = useI18n();
  useDocumentTitle(t('review.heading'));
  // One entry per loaded page: the cursor it starts after.
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [publishing, publish] = useMutation(PublishMutation);
  const [{ data: places }] = useQuery({ query: ReviewNeighborhoodsQuery });
  const neighborhoods: Neighborhoods = new Map(places?.neighborhoods.map((n) => [n.id, n.name]));
  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">{t('review.heading')}</h2>
      {publishing.error ? (
        <p role="alert" className="error">
          {errorText(publishing.error)}
        </p>
      ) : null}
      {publishing.data ? <p role="status">{t('review.published')}</p> : null}
      {pages.map((after, index) => (
        <DraftsPage
          key={after ?? ''}
          after={after}
          shownBefore={index * PAGE_SIZE}
          isLast={index === pages.length - 1}
          neighborhoods={neighborhoods}
          publishing={publishing.fetching}
          onPublish={(id) => void publish({ id })}
          onMore={(cursor) => setPages((list) => [...list, cursor])}
        />
      ))}
    </section>
  );
}

interface PageProps {
  after: string | null;
  shownBefore: number;
  isLast: boolean;
  neighborhoods: Neighborhoods;
  publishing: boolean;
  onPublish(id: string): void;
  onMore(cursor: string): void;
}

function DraftsPage({ after, shownBefore, isLast, neighborhoods, publishing, onPublish, onMore }: PageProps) {
  const { t, number } = useI18n();
  // A shared work queue: other staff add and publish drafts, so each visit asks the server again.
  const [{ data, fetching, error }] = useQuery({
    query: ReviewDraftsQuery,
    variables: { after },
    requestPolicy: 'cache-and-network',
  });
  const connection = data?.conversations;
  // A conversation published a moment ago stays in the cached page until it is fetched again.
  const drafts = connection?.edges.map((e) => e.node).filter((c) => c.status === 'DRAFT') ?? [];
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data}>
      {connection && connection.totalCount === 0 && after === null ? <p>{t('review.noDrafts')}</p> : null}
      {drafts.map((conversation) => (
        <DraftCard
          key={conversation.id}
          conversation={conversation}
          neighborhoods={neighborhoods}
          publishing={publishing}
          onPublish={onPublish}
        />
      ))}
      {isLast && connection && connection.totalCount > 0 ? (
        <p className="muted">
          {t('review.showing', {
            shown: number(Math.min(shownBefore + connection.edges.length, connection.totalCount)),
            total: number(connection.totalCount),
          })}
        </p>
      ) : null}
      {isLast && connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor ? (
        <button type="button" className="secondary" onClick={() => onMore(connection.pageInfo.endCursor as string)}>
          {t('review.loadMore')}
        </button>
      ) : null}
    </QueryState>
  );
}

interface CardProps {
  conversation: Draft;
  neighborhoods: Neighborhoods;
  publishing: boolean;
  onPublish(id: string): void;
}

function DraftCard({ conversation, neighborhoods, publishing, onPublish }: CardProps) {
  const { t, date, plural } = useI18n();
  const headingId = `draft-${conversation.id}`;
  const [moderation, moderate] = useMutation(ModerateMutation);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const [acceptingAll, acceptAllPending] = useMutation(ModerateManyMutation);
  const [acceptedAll, setAcceptedAll] = useState<number | null>(null);
  const pending = conversation.concerns.filter((c) => c.moderation === 'PENDING');
  const accepted = conversation.concerns.filter((c) => c.moderation === 'ACCEPTED');

  // One request, all or none: a concern someone else moderated meanwhile refuses the whole batch.
  const acceptEveryPending = async () => {
    if (acceptingAll.fetching || pending.length === 0) return;
    setAcceptedAll(null);
    const outcome = await acceptAllPending({
      input: { concernIds: pending.map((c) => c.id), moderation: 'ACCEPTED' },
    });
    if (!outcome.error) setAcceptedAll(outcome.data?.moderateConcerns.length ?? 0);
  };

  return (
    <article className="card draft" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {conversation.title} · {date(conversation.heldOn)}
      </h3>
      {(moderation.error ?? acceptingAll.error) ? (
        <p role="alert" className="error">
          {errorText((moderation.error ?? acceptingAll.error) as CombinedError)}
        </p>
      ) : null}
      <div role="status">
        {acceptingAll.fetching ? <p>{plural('review.acceptingAll', pending.length)}</p> : null}
        {acceptedAll !== null ? <p>{plural('review.acceptedAll', acceptedAll)}</p> : null}
        {saved ? <p>{t('review.concernSaved')}</p> : null}
      </div>
      {pending.length > 0 ? (
        <button type="button" disabled={acceptingAll.fetching} onClick={acceptEveryPending}>
          {plural('review.acceptAll', pending.length)}
        </button>
      ) : null}
      <h4>{t('review.concernsOf')}</h4>
      <ul className="plain">
        {conversation.concerns.map((concern) =>
          editing === concern.id ? (
            <li key={concern.id} className="review-row">
              <ConcernEditForm
                key={concern.id}
                conversationId={conversation.id}
                concern={concern}
                neighborhoods={neighborhoods}
                onDone={(didSave) => {
                  setEditing(null);
                  setSaved(didSave);
                }}
              />
            </li>
          ) : (
            <li key={concern.id} className="review-row">
              <ContentText as="span" language={concern.language}>
                {concern.summary}
              </ContentText>{' '}
              <span className="muted">
                · {concern.neighborhoodId ? (neighborhoods.get(concern.neighborhoodId) ?? '') : t('concern.citywide')}
              </span>{' '}
              <span className={`badge moderation-${concern.moderation.toLowerCase()}`}>
                {t('review.moderation', { state: t(`moderation.${concern.moderation}`) })}
              </span>
              {concern.themes.length ? <ThemeTags themes={concern.themes} /> : null}{' '}
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
              </button>{' '}
              <button
                type="button"
                className="secondary"
                aria-label={t('review.editLabel', { summary: concern.summary })}
                onClick={() => {
                  setSaved(false);
                  setEditing(concern.id);
                }}
              >
                {t('review.edit')}
              </button>
            </li>
          ),
        )}
      </ul>
      {previewing ? (
        <PublishPreview
          conversation={conversation}
          accepted={accepted}
          hidden={conversation.concerns.length - accepted.length}
          neighborhoods={neighborhoods}
          publishing={publishing}
          onConfirm={() => onPublish(conversation.id)}
          onCancel={() => setPreviewing(false)}
        />
      ) : (
        <button type="button" onClick={() => setPreviewing(true)}>
          {t('review.previewPublish')}
        </button>
      )}
    </article>
  );
}

interface PreviewProps {
  conversation: Draft;
  accepted: DraftConcern[];
  hidden: number;
  neighborhoods: Neighborhoods;
  publishing: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** The accepted concerns as residents will see them, and the confirmation before publishing. */
function PublishPreview({
  conversation,
  accepted,
  hidden,
  neighborhoods,
  publishing,
  onConfirm,
  onCancel,
}: PreviewProps) {
  const { t, plural } = useI18n();
  const id = useId();
  return (
    <section className="staff-panel publish-preview" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>{t('review.previewHeading')}</h4>
      {accepted.length === 0 ? (
        <p>{t('review.previewNone')}</p>
      ) : (
        <p>{plural('review.previewPublic', accepted.length)}</p>
      )}
      <ul className="plain">
        {accepted.map((concern) => (
          <li key={concern.id} className="concern-item">
            <ContentText language={concern.language}>
              <strong>{concern.summary}</strong>
            </ContentText>
            <p className="muted">
              {concern.neighborhoodId ? (neighborhoods.get(concern.neighborhoodId) ?? '') : t('concern.citywide')}
            </p>
            <ThemeTags themes={concern.themes} />
          </li>
        ))}
      </ul>
      {hidden > 0 ? <p className="muted">{plural('review.previewHidden', hidden)}</p> : null}
      <p>
        <strong>{t('review.confirm', { title: conversation.title })}</strong>
      </p>
      <button type="button" disabled={publishing} onClick={onConfirm}>
        {t('review.publishNow')}
      </button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        {t('review.cancel')}
      </button>
    </section>
  );
}

interface EditProps {
  conversationId: string;
  concern: DraftConcern;
  neighborhoods: Neighborhoods;
  onDone(saved: boolean): void;
}

function ConcernEditForm({ conversationId, concern, neighborhoods, onDone }: EditProps) {
  const { t, theme } = useI18n();
  const id = useId();
  const [result, update] = useMutation(UpdateConcernMutation);
  const [themes, setThemes] = useState<ThemeCode[]>([...concern.themes]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (result.fetching) return;
    const form = new FormData(event.currentTarget);
    const outcome = await update({
      conversationId,
      concern: {
        id: concern.id,
        summary: String(form.get('summary') ?? '').trim(),
        themes,
        neighborhoodId: String(form.get('neighborhood') ?? '') || null,
      },
    });
    if (!outcome.error) onDone(true);
  };
  return (
    <form onSubmit={submit} className="staff-panel concern-edit" aria-labelledby={`${id}-h`}>
      <h5 id={`${id}-h`}>{t('review.editHeading')}</h5>
      <label htmlFor={`${id}-summary`}>{t('review.summary')}</label>
      <input
        id={`${id}-summary`}
        name="summary"
        lang={concern.language}
        required
        maxLength={500}
        defaultValue={concern.summary}
      />
      <label htmlFor={`${id}-neighborhood`}>{t('review.neighborhood')}</label>
      <select id={`${id}-neighborhood`} name="neighborhood" defaultValue={concern.neighborhoodId ?? ''}>
        <option value="">{t('concern.citywide')}</option>
        {[...neighborhoods].map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
      <fieldset className="theme-choices">
        <legend>{t('review.themes')}</legend>
        {THEME_CODES.map((code) => {
          const checked = themes.includes(code);
          return (
            <div key={code} className="check">
              <input
                id={`${id}-${code}`}
                type="checkbox"
                checked={checked}
                disabled={!checked && themes.length >= MAX_THEMES}
                onChange={(e) =>
                  setThemes((list) => (e.target.checked ? [...list, code] : list.filter((picked) => picked !== code)))
                }
              />
              <label htmlFor={`${id}-${code}`}>{theme(code)}</label>
            </div>
          );
        })}
      </fieldset>
      {result.error ? (
        <p role="alert" className="error">
          {errorText(result.error)}
        </p>
      ) : null}
      <button type="submit" disabled={result.fetching}>
        {t('review.saveConcern')}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => onDone(false)}>
        {t('review.cancel')}
      </button>
    </form>
  );
}
