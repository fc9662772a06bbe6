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
  mutation ObservationForm_Add($input: AddObservationInput!, $language: String!) {
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
          note
          segment
          value
          content(language: $language) {
            field
            text
            language
            machineTranslated
            original
          }
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
  const { t, locale } = useI18n();
  const id = useId();
  const [result, add] = useMutation(AddObservationMutation);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    const outcome = await add({
      input: {
        measureId: String(form.get('measure')),
        period: String(form.get('period')),
        value: Number(form.get('value')),
        label: text('label'),
        spanishLabel: text('spanishLabel'),
        note: text('note'),
        spanishNote: text('spanishNote'),
      },
      language: locale,
    });
    // Recorded: the form empties, so a second click cannot send the same value again.
    if (!outcome.error) {
      for (const name of ['period', 'value', 'label', 'spanishLabel', 'note', 'spanishNote']) {
        const field = element.elements.namedItem(name);
        if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.value = '';
      }
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} className="staff-panel" aria-labelledby={`${id}-h`}>
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
      <fieldset>
        <legend>{t('obs.texts')}</legend>
        <p className="muted">{t('obs.textsHint')}</p>
        <label htmlFor={`${id}-l`}>{t('obs.label')}</label>
        <input id={`${id}-l`} name="label" lang="en" maxLength={500} />
        <label htmlFor={`${id}-le`}>{t('obs.spanishLabel')}</label>
        <input id={`${id}-le`} name="spanishLabel" lang="es" maxLength={500} />
        <label htmlFor={`${id}-n`}>{t('obs.note')}</label>
        <textarea id={`${id}-n`} name="note" lang="en" rows={2} maxLength={500} />
        <label htmlFor={`${id}-ne`}>{t('obs.spanishNote')}</label>
        <textarea id={`${id}-ne`} name="spanishNote" lang="es" rows={2} maxLength={500} />
      </fieldset>
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
