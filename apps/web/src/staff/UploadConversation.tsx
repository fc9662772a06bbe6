import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { CsvUpload } from './CsvUpload.tsx';
import type { CsvResult } from './csv.ts';

const UploadNeighborhoodsQuery = graphql(`
  query UploadConversation_Neighborhoods {
    neighborhoods {
      id
      slug
      name
      nameEs
      aliases
    }
  }
`);

const CreateConversationMutation = graphql(`
  mutation UploadConversation_Create($input: CreateConversationInput!) {
    createConversation(input: $input) {
      id
      title
      status
      concerns {
        id
      }
    }
  }
`);

const FORMATS = ['IN_PERSON', 'VIRTUAL', 'HYBRID', 'ONLINE'] as const;

/** Staff: record a conversation with the concerns heard, typed in or from a CSV file, as a draft. */
export function UploadConversation() {
  const { t } = useI18n();
  const id = useId();
  const [{ data }] = useQuery({ query: UploadNeighborhoodsQuery });
  const [csv, setCsv] = useState<CsvResult | null>(null);
  const [manual, setManual] = useState<string[]>(['']);
  const [blocked, setBlocked] = useState(false);
  const [result, create] = useMutation(CreateConversationMutation);
  const neighborhoods = data?.neighborhoods ?? [];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const badRows = csv?.rows.some((r) => r.problems.length > 0) || (csv?.fileProblems.length ?? 0) > 0;
    setBlocked(!!badRows);
    if (badRows) return;
    const form = new FormData(event.currentTarget);
    const neighborhoodId = String(form.get('neighborhood') ?? '');
    const concerns = [
      ...manual
        .map((s) => s.trim())
        .filter(Boolean)
        .map((summary) => ({ summary, language: String(form.get('language') || 'en') })),
      ...(csv?.rows.map((r) => r.input) ?? []),
    ];
    void create({
      input: {
        title: String(form.get('title')),
        heldOn: new Date(String(form.get('heldOn'))).toISOString(),
        format: form.get('format') as (typeof FORMATS)[number],
        participantCount: Number(form.get('participants') || 0),
        summary: String(form.get('summary') ?? '') || null,
        neighborhoodIds: neighborhoodId ? [neighborhoodId] : [],
        source: { kind: csv ? 'CSV' : 'MANUAL' },
        concerns,
      },
    });
  };
  const f = (name: string) => `${id}-${name}`;
  return (
    <section aria-labelledby={f('h')}>
      <h2 id={f('h')}>{t('upload.heading')}</h2>
      <form onSubmit={submit} className="stack">
        <label htmlFor={f('title')}>{t('upload.title')}</label>
        <input id={f('title')} name="title" required maxLength={200} />
        <label htmlFor={f('heldOn')}>{t('upload.heldOn')}</label>
        <input id={f('heldOn')} name="heldOn" type="date" required max={new Date().toISOString().slice(0, 10)} />
        <label htmlFor={f('format')}>{t('upload.format')}</label>
        <select id={f('format')} name="format" defaultValue="IN_PERSON">
          {FORMATS.map((format) => (
            <option key={format} value={format}>
              {t(`format.${format}`)}
            </option>
          ))}
        </select>
        <label htmlFor={f('participants')}>{t('upload.participants')}</label>
        <input id={f('participants')} name="participants" type="number" min={0} step={1} />
        <label htmlFor={f('neighborhood')}>{t('upload.neighborhood')}</label>
        <select id={f('neighborhood')} name="neighborhood" defaultValue="">
          <option value="">{t('concern.citywide')}</option>
          {neighborhoods.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
        <label htmlFor={f('summary')}>{t('upload.summary')}</label>
        <textarea id={f('summary')} name="summary" rows={3} />
        <fieldset>
          <legend>{t('upload.concerns')}</legend>
          <label htmlFor={f('language')}>{t('lang.label')}</label>
          <select id={f('language')} name="language" defaultValue="en">
            <option value="en">English</option>
            <option value="es">Español</option>
          </select>
          {manual.map((value, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <div key={index} className="row">
              <label htmlFor={f(`c${index}`)}>{t('upload.concern', { n: index + 1 })}</label>
              <input
                id={f(`c${index}`)}
                value={value}
                maxLength={500}
                onChange={(e) => setManual((list) => list.map((v, i) => (i === index ? e.target.value : v)))}
              />
              {manual.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setManual((list) => list.filter((_, i) => i !== index))}
                >
                  {t('upload.removeConcern', { n: index + 1 })}
                </button>
              ) : null}
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setManual((list) => [...list, ''])}>
            {t('upload.addConcern')}
          </button>
        </fieldset>
        <CsvUpload neighborhoods={neighborhoods} result={csv} onResult={setCsv} />
        {blocked ? (
          <p role="alert" className="error">
            {t('upload.fixRows')}
          </p>
        ) : null}
        <button type="submit" disabled={result.fetching}>
          {t('upload.save')}
        </button>
        {result.error ? (
          <p role="alert" className="error">
            {result.error.graphQLErrors[0]?.message ?? result.error.message}
          </p>
        ) : null}
        {result.data ? (
          <p role="status">
            {t('upload.saved', { count: result.data.createConversation.concerns.length })}{' '}
            <a href={href('staff', 'review')}>{t('upload.review')}</a>
          </p>
        ) : null}
      </form>
    </section>
  );
}
