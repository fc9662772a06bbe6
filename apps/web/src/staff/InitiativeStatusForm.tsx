import { type FormEvent, useId } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

const UpdateStatusMutation = graphql(`
  mutation InitiativeStatusForm_Update($input: UpdateInitiativeStatusInput!) {
    updateInitiativeStatus(input: $input) {
      id
      status
      statusHistory {
        id
        status
        note
        changedAt
      }
    }
  }
`);

const STATUSES = ['IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING'] as const;

interface Props {
  initiativeId: string;
  current: string | null;
}

/**
 * Staff: the initiative's dashboard status with a public note. A new form for each initiative, so a
 * note typed (or saved) on one is never shown, or sent, on another.
 */
export function InitiativeStatusForm(props: Props) {
  return <StatusForm key={props.initiativeId} {...props} />;
}

function StatusForm({ initiativeId, current }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [result, update] = useMutation(UpdateStatusMutation);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void update({
      input: {
        initiativeId,
        status: form.get('status') as (typeof STATUSES)[number],
        note: String(form.get('note') ?? ''),
      },
    });
  };
  return (
    <form onSubmit={submit} className="staff-panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('istatus.heading')}</h3>
      <label htmlFor={`${id}-status`}>{t('initiative.status')}</label>
      <select id={`${id}-status`} name="status" defaultValue={current ?? 'IN_PROGRESS'}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-note`}>{t('istatus.note')}</label>
      <textarea id={`${id}-note`} name="note" required rows={2} />
      <button type="submit" disabled={result.fetching}>
        {t('istatus.submit')}
      </button>
      {result.error ? (
        <p role="alert" className="error">
          {result.error.graphQLErrors[0]?.message ?? result.error.message}
        </p>
      ) : null}
      {result.data ? <p role="status">{t('istatus.saved')}</p> : null}
    </form>
  );
}
