import { type FormEvent, useId, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql, type VariablesOf } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { THEME_LABELS, type ThemeCode } from '../i18n/messages.ts';
import { href } from '../router.ts';
import { CsvUpload } from './CsvUpload.tsx';
import type { ConcernRow, CsvResult } from './csv.ts';

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
const THEME_CODES = Object.keys(THEME_LABELS.en) as ThemeCode[];
const MAX_THEMES = 5;

interface ManualConcern {
  summary: string;
  detail: string;
  themes: ThemeCode[];
  supportCount: string;
}

const emptyConcern = (): ManualConcern => ({ summary: '', detail: '', themes: [], supportCount: '' });

/**
 * Staff: record a conversation with the concerns heard, typed in or from a CSV file, as a draft.
 * After a save the form starts empty again, so a second click cannot store the same conversation twice.
 */
export function UploadConversation() {
  const { t, theme, plural } = useI18n();
  useDocumentTitle(t('upload.heading'));
  const [{ data }] = useQuery({ query: UploadNeighborhoodsQuery });
  const [result, create] = useMutation(CreateConversationMutation);
  // A new form (and file input) after each save; the saved count stays above it.
  const [generation, setGeneration] = useState(0);
  const [saved, setSaved] = useState<number | null>(null);
  const saving = useRef(false);
  const neighborhoods = data?.neighborhoods ?? [];
  const save = async (input: ConversationInput) => {
    if (saving.current) return;
    saving.current = true;
    setSaved(null);
    const outcome = await create({ input });
    saving.current = false;
    if (outcome.data) {
      setSaved(outcome.data.createConversation.concerns.length);
      setGeneration((g) => g + 1);
    }
  };
  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">{t('upload.heading')}</h2>
      {saved !== null ? (
        <p role="status">
          {plural('upload.saved', saved)} <a href={href('staff', 'review')}>{t('upload.review')}</a>
        </p>
      ) : null}
      <UploadForm
        key={generation}
        neighborhoods={neighborhoods}
        busy={result.fetching}
        onSave={save}
        themeLabel={theme}
      />
      {result.error ? (
        <p role="alert" className="error">
          {result.error.graphQLErrors[0]?.message ?? result.error.message}
        </p>
      ) : null}
    </section>
  );
}

type ConversationInput = VariablesOf<typeof CreateConversationMutation>['input'];

interface FormProps {
  neighborhoods: { id: string; slug: string; name: string; nameEs: string | null; aliases: readonly string[] }[];
  busy: boolean;
  onSave(input: ConversationInput): void;
  themeLabel(code: string): string;
}

function UploadForm({ neighborhoods, busy, onSave, themeLabel }: FormProps) {
  const { t } = useI18n();
  const id = useId();
  const [csv, setCsv] = useState<CsvResult | null>(null);
  const [manual, setManual] = useState<ManualConcern[]>([emptyConcern()]);
  const [blocked, setBlocked] = useState(false);
  const change = (index: number, patch: Partial<ManualConcern>) =>
    setManual((list) => list.map((concern, i) => (i === index ? { ...concern, ...patch } : concern)));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const badRows = csv?.rows.some((r) => r.problems.length > 0) || (csv?.fileProblems.length ?? 0) > 0;
    setBlocked(!!badRows);
    if (badRows) return;
    const form = new FormData(event.currentTarget);
    const neighborhoodId = String(form.get('neighborhood') ?? '') || undefined;
    const language = String(form.get('language') || 'en');
    const typed = manual
      .filter((concern) => concern.summary.trim())
      .map((concern): ConcernRow['input'] => ({
        summary: concern.summary.trim(),
        ...(concern.detail.trim() ? { detail: concern.detail.trim() } : {}),
        themes: concern.themes,
        language,
        ...(concern.supportCount ? { supportCount: Number(concern.supportCount) } : {}),
      }));
    // A concern is heard where its conversation was held unless its CSV row names another place (a
    // neighborhood, or a point the engagement service places in its neighborhood).
    const concerns = [...typed, ...(csv?.rows.map((r) => r.input) ?? [])].map((concern) => ({
      ...concern,
      neighborhoodId: concern.neighborhoodId ?? (concern.location ? undefined : neighborhoodId),
    }));
    onSave({
      title: String(form.get('title')),
      heldOn: new Date(String(form.get('heldOn'))).toISOString(),
      format: form.get('format') as (typeof FORMATS)[number],
      participantCount: Number(form.get('participants') || 0),
      summary: String(form.get('summary') ?? '') || null,
      neighborhoodIds: neighborhoodId ? [neighborhoodId] : [],
      source: { kind: csv ? 'CSV' : 'MANUAL' },
      concerns,
    });
  };
  const f = (name: string) => `${id}-${name}`;
  return (
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
      <p id={f('neighborhood-help')} className="muted">
        {t('upload.neighborhoodHelp')}
      </p>
      <select id={f('neighborhood')} name="neighborhood" defaultValue="" aria-describedby={f('neighborhood-help')}>
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
        {manual.map((concern, index) => {
          const n = index + 1;
          const c = (name: string) => f(`c${index}-${name}`);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <fieldset key={index} className="manual-concern">
              <legend>{t('upload.concern', { n })}</legend>
              <label htmlFor={c('summary')}>{t('upload.concernSummary')}</label>
              <input
                id={c('summary')}
                value={concern.summary}
                maxLength={500}
                onChange={(e) => change(index, { summary: e.target.value })}
              />
              <label htmlFor={c('detail')}>{t('upload.detail')}</label>
              <textarea
                id={c('detail')}
                rows={2}
                maxLength={5000}
                value={concern.detail}
                onChange={(e) => change(index, { detail: e.target.value })}
              />
              <label htmlFor={c('support')}>{t('upload.supporters')}</label>
              <input
                id={c('support')}
                type="number"
                min={0}
                step={1}
                value={concern.supportCount}
                onChange={(e) => change(index, { supportCount: e.target.value })}
              />
              <fieldset className="theme-choices">
                <legend>{t('upload.themes')}</legend>
                {THEME_CODES.map((code) => {
                  const checked = concern.themes.includes(code);
                  return (
                    <div key={code} className="check">
                      <input
                        id={c(code)}
                        type="checkbox"
                        checked={checked}
                        disabled={!checked && concern.themes.length >= MAX_THEMES}
                        onChange={(e) =>
                          change(index, {
                            themes: e.target.checked
                              ? [...concern.themes, code]
                              : concern.themes.filter((picked) => picked !== code),
                          })
                        }
                      />
                      <label htmlFor={c(code)}>{themeLabel(code)}</label>
                    </div>
                  );
                })}
              </fieldset>
              {manual.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setManual((list) => list.filter((_, i) => i !== index))}
                >
                  {t('upload.removeConcern', { n })}
                </button>
              ) : null}
            </fieldset>
          );
        })}
        <button type="button" className="secondary" onClick={() => setManual((list) => [...list, emptyConcern()])}>
          {t('upload.addConcern')}
        </button>
      </fieldset>
      <CsvUpload neighborhoods={neighborhoods} result={csv} onResult={setCsv} />
      {blocked ? (
        <p role="alert" className="error">
          {t('upload.fixRows')}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {t('upload.save')}
      </button>
    </form>
  );
}
