import { type FormEvent, useId } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

const AddObservationMutation = graphql(`
  mutation ObservationForm_Add($input: AddObservationInput!) {
    addObservation(input: $input) {
      id
      period
      value
      measure {
        id
        latest {
          id
          period
          value
        }
        observations {
          id
          period
          label
          segment
          value
        }
      }
    }
  }
`);

export function ObservationForm({ measures }: { measures: { id: string; name: string }[] }) {
  const { t } = useI18n();
  const id = useId();
  const [result, add] = useMutation(AddObservationMutation);
  if (measures.length === 0) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void add({
      input: {
        measureId: String(form.get('measure')),
        period: String(form.get('period')),
        value: Number(form.get('value')),
      },
    });
  };
  return (
    <form onSubmit={submit} className="staff-panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('obs.heading')}</h3>
      <label htmlFor={`${id}-m`}>{t('obs.measure')}</label>
      <select id={`${id}-m`} name="measure">
        {measures.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-p`}>{t('obs.period')}</label>
      <input id={`${id}-p`} name="period" required pattern="\d{4}(-\d{2})?" />
      <label htmlFor={`${id}-v`}>{t('obs.value')}</label>
      <input id={`${id}-v`} name="value" type="number" step="any" required />
      <button type="submit" disabled={result.fetching}>
        {t('obs.submit')}
      </button>
      {result.error ? (
        <p role="alert" className="error">
          {result.error.graphQLErrors[0]?.message ?? result.error.message}
        </p>
      ) : null}
      {result.data ? <p role="status">{t('obs.saved')}</p> : null}
    </form>
  );
}
