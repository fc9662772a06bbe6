import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { ContentText } from '../components/ContentText.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql, type ResultOf } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

const ProposedGroupsQuery = graphql(`
  query ProposedGroupsPage_Groups {
    proposedCitywideConcerns(first: 10) {
      id
      size
      statement
      languages
      representative {
        id
        language
      }
      neighborhoods {
        id
        name
      }
      concerns {
        id
        summary
        language
      }
    }
  }
`);

const AcceptMutation = graphql(`
  mutation ProposedGroupsPage_Accept($id: ID!) {
    acceptProposedCitywideConcern(id: $id) {
      id
      title
    }
  }
`);

const SplitMutation = graphql(`
  mutation ProposedGroupsPage_Split($id: ID!, $concernIds: [ID!]!) {
    splitProposedCitywideConcern(id: $id, concernIds: $concernIds) {
      id
      size
    }
  }
`);

const DismissMutation = graphql(`
  mutation ProposedGroupsPage_Dismiss($id: ID!) {
    dismissProposedCitywideConcern(id: $id) {
      id
      state
    }
  }
`);

type Proposed = ResultOf<typeof ProposedGroupsQuery>['proposedCitywideConcerns'][number];

const errorText = (error: CombinedError) => error.graphQLErrors[0]?.message ?? error.message;

/**
 * Staff: the groups the alignment engine proposes as citywide concerns, largest first, each with the
 * resident statement that stands for it (quoted as said), its size, neighborhoods and languages.
 * Accept, split off the checked concerns, or dismiss: one step each.
 */
export function ProposedGroupsPage() {
  const { t } = useI18n();
  useDocumentTitle(t('groups.heading'));
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ProposedGroupsQuery });
  const [outcome, setOutcome] = useState<string | null>(null);
  const refresh = (message: string) => {
    setOutcome(message);
    reexecute({ requestPolicy: 'network-only' });
  };
  const groups = data?.proposedCitywideConcerns ?? [];
  return (
    <section aria-labelledby="groups-heading">
      <h2 id="groups-heading">{t('groups.heading')}</h2>
      <p className="muted">{t('groups.intro')}</p>
      <div role="status">{outcome ? <p>{outcome}</p> : null}</div>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data && groups.length === 0 ? <p>{t('groups.none')}</p> : null}
        <ul className="plain">
          {groups.map((group) => (
            <ProposedGroup key={group.id} group={group} onDecided={refresh} />
          ))}
        </ul>
      </QueryState>
    </section>
  );
}

function ProposedGroup({ group, onDecided }: { group: Proposed; onDecided(message: string): void }) {
  const { t, plural, language } = useI18n();
  const [accepting, accept] = useMutation(AcceptMutation);
  const [splitting, split] = useMutation(SplitMutation);
  const [dismissing, dismiss] = useMutation(DismissMutation);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const busy = accepting.fetching || splitting.fetching || dismissing.fetching;
  const failure = accepting.error ?? splitting.error ?? dismissing.error;
  const headingId = `group-${group.id}`;
  const statementLanguage = group.representative?.language ?? 'en';
  const label = group.statement ?? group.concerns[0]?.summary ?? group.id;
  const toggle = (id: string) =>
    setChecked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <li className="card proposed-group">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>{plural('groups.size', group.size)}</h3>
        {group.statement ? (
          <figure>
            <ContentText as="blockquote" language={statementLanguage}>
              “{group.statement}”
            </ContentText>
            <figcaption className="muted">{t('groups.statementCaption')}</figcaption>
          </figure>
        ) : null}
        <dl className="facts">
          <dt>{t('groups.neighborhoods')}</dt>
          <dd>
            {group.neighborhoods.length ? group.neighborhoods.map((n) => n.name).join(', ') : t('concern.citywide')}
          </dd>
          <dt>{t('groups.languages')}</dt>
          <dd>{group.languages.map((l) => language(l)).join(', ')}</dd>
        </dl>
        <fieldset>
          <legend>{t('groups.members')}</legend>
          <ul className="plain">
            {group.concerns.map((concern) => (
              <li key={concern.id}>
                <input
                  type="checkbox"
                  id={`${group.id}-${concern.id}`}
                  checked={checked.has(concern.id)}
                  onChange={() => toggle(concern.id)}
                />{' '}
                <label htmlFor={`${group.id}-${concern.id}`} lang={concern.language}>
                  {concern.summary}
                </label>{' '}
                <a href={href('concerns', concern.id)} aria-label={t('groups.open', { summary: concern.summary })}>
                  {t('groups.openShort')}
                </a>
              </li>
            ))}
          </ul>
        </fieldset>
        {failure ? (
          <p role="alert" className="error">
            {t('groups.error', { message: errorText(failure) })}
          </p>
        ) : null}
        <button
          type="button"
          disabled={busy}
          aria-label={t('groups.acceptLabel', { statement: label })}
          onClick={async () => {
            const result = await accept({ id: group.id });
            if (!result.error)
              onDecided(t('groups.accepted', { title: result.data?.acceptProposedCitywideConcern.title ?? '' }));
          }}
        >
          {t('groups.accept')}
        </button>{' '}
        <button
          type="button"
          disabled={busy || checked.size === 0 || checked.size === group.concerns.length}
          aria-label={t('groups.splitLabel', { statement: label })}
          onClick={async () => {
            const result = await split({ id: group.id, concernIds: [...checked] });
            if (!result.error) onDecided(t('groups.split'));
          }}
        >
          {t('groups.splitChecked')}
        </button>{' '}
        <button
          type="button"
          disabled={busy}
          aria-label={t('groups.dismissLabel', { statement: label })}
          onClick={async () => {
            const result = await dismiss({ id: group.id });
            if (!result.error) onDecided(t('groups.dismissed'));
          }}
        >
          {t('groups.dismiss')}
        </button>
      </article>
    </li>
  );
}
