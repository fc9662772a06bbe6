import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '../components/QueryState.tsx';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

const AlignPanelQuery = graphql(`
  query AlignPanel_Options($id: ID!) {
    concern(id: $id) {
      id
      suggestedResources(first: 5) {
        score
        reasons
        resource {
          id
          name
          organization {
            id
            name
          }
        }
      }
    }
    initiatives {
      id
      code
      title
    }
    services(first: 100, statuses: [ACTIVE]) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const AlignMutation = graphql(`
  mutation AlignPanel_Align($input: AlignConcernInput!) {
    alignConcern(input: $input) {
      id
      concern {
        id
        status
      }
      initiative {
        id
      }
      resource {
        id
      }
    }
  }
`);

/** Staff: align the concern with an initiative or a resource; the matcher's suggestions are one click away. */
export function AlignPanel({ concernId, onAligned }: { concernId: string; onAligned(): void }) {
  const { t, number } = useI18n();
  const id = useId();
  const [{ data, fetching, error }] = useQuery({ query: AlignPanelQuery, variables: { id: concernId } });
  const [result, align] = useMutation(AlignMutation);
  const [done, setDone] = useState(false);
  const run = async (input: { initiativeId?: string; serviceId?: string; rationale: string }) => {
    setDone(false);
    const response = await align({ input: { concernId, ...input } });
    if (!response.error) {
      setDone(true);
      onAligned();
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = String(form.get('target') ?? '');
    const rationale = String(form.get('rationale') ?? '');
    const [kind, targetId] = target.split(':');
    if (!targetId) return;
    void run(kind === 'i' ? { initiativeId: targetId, rationale } : { serviceId: targetId, rationale });
  };
  return (
    <section aria-labelledby={`${id}-h`} className="staff-panel">
      <h3 id={`${id}-h`}>{t('align.heading')}</h3>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data?.concern?.suggestedResources?.length ? (
          <>
            <h4>{t('concern.suggested')}</h4>
            <ul className="plain suggestions">
              {(data.concern.suggestedResources ?? []).map((s) => (
                <li key={s.resource.id}>
                  <button
                    type="button"
                    disabled={result.fetching}
                    onClick={() =>
                      void run({ serviceId: s.resource.id, rationale: s.reasons.join('; ') || 'Suggested match' })
                    }
                  >
                    {t('align.suggestion', { name: s.resource.name })}
                  </button>{' '}
                  <span className="muted">
                    {s.resource.organization.name} · {number(s.score, { maximumFractionDigits: 1 })} ·{' '}
                    {s.reasons.join('; ')}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <form onSubmit={submit}>
          <label htmlFor={`${id}-target`}>
            {t('align.initiative')} / {t('align.resource')}
          </label>
          <select id={`${id}-target`} name="target" required defaultValue="">
            <option value="" disabled>
              {t('align.choose')}
            </option>
            <optgroup label={t('align.initiative')}>
              {data?.initiatives.map((i) => (
                <option key={i.id} value={`i:${i.id}`}>
                  {i.code} {i.title}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('align.resource')}>
              {data?.services.edges.map(({ node }) => (
                <option key={node.id} value={`s:${node.id}`}>
                  {node.name}
                </option>
              ))}
            </optgroup>
          </select>
          <label htmlFor={`${id}-rationale`}>{t('align.rationale')}</label>
          <textarea id={`${id}-rationale`} name="rationale" required maxLength={2000} rows={2} />
          <button type="submit" disabled={result.fetching}>
            {t('align.submit')}
          </button>
        </form>
        {result.error ? (
          <p role="alert" className="error">
            {result.error.graphQLErrors[0]?.message ?? result.error.message}
          </p>
        ) : null}
        {done ? <p role="status">{t('align.done')}</p> : null}
      </QueryState>
    </section>
  );
}
