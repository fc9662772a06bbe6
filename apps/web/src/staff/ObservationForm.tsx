import { type FormEvent, useId } from 'react';
import { useMutation } from 'urql';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

export const ObservationFormFragment = graphql(`
  fragment ObservationForm_Measure on Measure {
    id
    name
    automaticSource
    refreshedAt
  }
`);

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

interface Props {
  initiativeId: string;
  measures: readonly FragmentOf<typeof ObservationFormFragment>[];
}

/**
 * Staff: record a value of a measure staff enter by hand. A measure with an automatic source is
 * not offered: it says that it updates itself, and when it last did.
 */
export function ObservationForm({ initiativeId, measures: data }: Props) {
  const measures = data.map((m) => readFragment(ObservationFormFragment, m));
  const manual = measures.filter((m) => !m.automaticSource);
  const automatic = measures.filter((m) => m.automaticSource);
  return (
    <>
      {automatic.length > 0 ? <AutomaticMeasures measures={automatic} /> : null}
      {manual.length > 0 ? <ManualObservationForm key={initiativeId} measures={manual} /> : null}
    </>
  );
}

function AutomaticMeasures({
  measures,
}: {
  measures: { id: string; name: string | null; refreshedAt: string | null }[];
}) {
  const { t, date } = useI18n();
  const id = useId();
  return (
    <section className="staff-panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('obs.automaticHeading')}</h3>
      <ul className="plain">
        {measures.map((m) => (
          <li key={m.id}>
            {t('obs.automatic', { name: m.name ?? m.id })}{' '}
            {m.refreshedAt ? (
              <time dateTime={m.refreshedAt}>{t('obs.lastUpdated', { date: date(m.refreshedAt) })}</time>
            ) : (
              t('obs.notYetUpdated')
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ManualObservationForm({ measures }: { measures: { id: string; name: string | null }[] }) {
  const { t } = useI18n();
  const id = useId();
  const [result, add] = useMutation(AddObservationMutation);
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
            {m.name ?? m.id}
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
