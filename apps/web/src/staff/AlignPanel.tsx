import { type FormEvent, useId, useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { QueryState } from '../components/QueryState.tsx';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { useAnswerError } from './AnswerPanel.tsx';

const AlignPanelQuery = graphql(`
  query AlignPanel_Options($id: ID!) {
    concern(id: $id) {
      id
      alignments {
        id
        rationale
        initiative {
          id
          code
          title
        }
        resource {
          id
          name
        }
      }
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

const UnalignMutation = graphql(`
  mutation AlignPanel_Unalign($alignmentId: ID!) {
    unalignConcern(alignmentId: $alignmentId) {
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
  const describe = useAnswerError();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: AlignPanelQuery, variables: { id: concernId } });
  const [result, align] = useMutation(AlignMutation);
  const [removal, unalign] = useMutation(UnalignMutation);
  const [done, setDone] = useState<'aligned' | 'removed' | null>(null);
  const changed = (what: 'aligned' | 'removed') => {
    setDone(what);
    reexecute({ requestPolicy: 'network-only' });
    onAligned();
  };
  const run = async (input: { initiativeId?: string; serviceId?: string; rationale: string }) => {
    setDone(null);
    const response = await align({ input: { concernId, ...input } });
    if (!response.error) changed('aligned');
  };
  const remove = async (alignmentId: string) => {
    setDone(null);
    const response = await unalign({ alignmentId });
    if (!response.error) changed('removed');
  };
  const alignments = data?.concern?.alignments ?? [];
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
        {alignments.length ? (
          <>
            <h4>{t('align.current')}</h4>
            <ul className="plain alignments">
              {alignments.map((a) => {
                const name = a.initiative
                  ? `${a.initiative.code} ${a.initiative.title}`
                  : (a.resource?.name ?? t('state.sectionMissing'));
                return (
                  <li key={a.id}>
                    <span>{name}</span> <span className="muted">· {a.rationale}</span>{' '}
                    <button type="button" disabled={removal.fetching} onClick={() => void remove(a.id)}>
                      {t('align.remove', { name })}
                    </button>
                  </li>
                );
              })}
            </ul>
          </>
        ) : null}
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
        {result.error || removal.error ? (
          <p role="alert" className="error">
            {describe((result.error ?? removal.error) as CombinedError)}
          </p>
        ) : null}
        {done ? <p role="status">{t(done === 'aligned' ? 'align.done' : 'align.removed')}</p> : null}
      </QueryState>
    </section>
  );
}
