import { type FormEvent, useId, useState } from 'react';
import type { CombinedError } from 'urql';
import { useMutation } from 'urql';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { LOCALES, type Locale, MESSAGES, type MessageKey } from '../i18n/messages.ts';

const ChangeStatusMutation = graphql(`
  mutation AnswerPanel_ChangeStatus(
    $concernId: ID!
    $status: ConcernStatus!
    $publicNote: String!
    $publicNoteLanguage: String
    $publicNoteTranslation: String
    $evidenceActionOn: DateTime
  ) {
    changeConcernStatus(
      concernId: $concernId
      status: $status
      publicNote: $publicNote
      publicNoteLanguage: $publicNoteLanguage
      publicNoteTranslation: $publicNoteTranslation
      evidenceActionOn: $evidenceActionOn
    ) {
      id
      status
    }
  }
`);

const AnswerCitywideMutation = graphql(`
  mutation AnswerPanel_AnswerCitywide(
    $citywideConcernId: ID!
    $status: ConcernStatus!
    $publicNote: String!
    $publicNoteLanguage: String
    $publicNoteTranslation: String
    $evidenceActionOn: DateTime
  ) {
    answerCitywideConcern(
      citywideConcernId: $citywideConcernId
      status: $status
      publicNote: $publicNote
      publicNoteLanguage: $publicNoteLanguage
      publicNoteTranslation: $publicNoteTranslation
      evidenceActionOn: $evidenceActionOn
    ) {
      id
      concerns {
        id
        status
      }
    }
  }
`);

const STATUSES = ['UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE'] as const;
type AnswerStatus = (typeof STATUSES)[number];

/** The moves the engagement service accepts (its ALLOWED_TRANSITIONS); others are offered disabled. */
const NEXT: Record<string, readonly AnswerStatus[]> = {
  NEW: ['UNDER_REVIEW', 'NOT_FEASIBLE'],
  UNDER_REVIEW: ['ALIGNED', 'NOT_FEASIBLE'],
  ALIGNED: ['IN_PROGRESS', 'UNDER_REVIEW', 'NOT_FEASIBLE'],
  IN_PROGRESS: ['ADDRESSED', 'NOT_FEASIBLE', 'ALIGNED'],
  ADDRESSED: ['UNDER_REVIEW'],
  NOT_FEASIBLE: ['UNDER_REVIEW'],
};
const firstNext = (status: string): AnswerStatus => NEXT[status]?.[0] ?? 'UNDER_REVIEW';

const FIELD_LABELS: Record<string, MessageKey> = {
  'args.status': 'answer.status',
  'args.publicNote': 'answer.note',
  'args.publicNoteLanguage': 'answer.noteLanguage',
  'args.publicNoteTranslation': 'answer.translationField',
  'args.evidenceActionOn': 'answer.evidenceOn',
};

/** The server's error in the interface language: by its reason or code, else its own message. */
export function useAnswerError(): (error: CombinedError, status?: string) => string {
  const { t } = useI18n();
  return (error, status) => {
    const first = error.graphQLErrors[0];
    const extensions = (first?.extensions ?? {}) as {
      code?: string;
      reason?: string;
      problems?: { field: string; message?: string }[];
    };
    // The gateway may pass on only `code` and `problems`; the evidence rule is recognised by its field.
    const evidence = extensions.problems?.some(
      (p) => p.field === 'args.evidenceActionOn' && /evidence/i.test(p.message ?? ''),
    );
    for (const key of [extensions.reason ?? (evidence ? 'EVIDENCE_REQUIRED' : undefined), extensions.code]) {
      if (!key) continue;
      const messageKey = `answer.error.${key}` as MessageKey;
      if (!(messageKey in MESSAGES.en)) continue;
      const fields = (extensions.problems ?? []).map((p) => {
        const label = FIELD_LABELS[p.field];
        return label ? t(label) : p.field;
      });
      if ((key === 'BAD_USER_INPUT' && fields.length === 0) || (key === 'CONFLICT' && !status)) break;
      return t(messageKey, {
        fields: [...new Set(fields)].join(', '),
        status: status ? t(`cstatus.${status}` as MessageKey) : '',
      });
    }
    return t('answer.error.other', { message: first?.message ?? error.message });
  };
}

/**
 * Staff: move the concern along its statuses with the city's public note. The page renders it with
 * `key={concernId}`, so navigating to another concern starts from an empty form. With
 * `citywideConcernId`, the answer goes to every member of that citywide group at once.
 */
export function AnswerPanel({
  concernId,
  citywideConcernId,
  current,
  onAnswered,
}: {
  concernId: string;
  citywideConcernId?: string;
  current: string;
  onAnswered(): void;
}) {
  const { t, locale, language } = useI18n();
  const id = useId();
  const describe = useAnswerError();
  const [noteLanguage, setNoteLanguage] = useState<Locale>(locale);
  const other: Locale = noteLanguage === 'en' ? 'es' : 'en';
  const [status, setStatus] = useState<AnswerStatus>(firstNext(current));
  const [answeredFrom, setAnsweredFrom] = useState(current);
  if (answeredFrom !== current) {
    setAnsweredFrom(current);
    setStatus(firstNext(current));
  }
  const [concernResult, change] = useMutation(ChangeStatusMutation);
  const [groupResult, answerGroup] = useMutation(AnswerCitywideMutation);
  const result = citywideConcernId ? groupResult : concernResult;
  const [saved, setSaved] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setSaved(false);
    const translation = String(form.get('translation') ?? '').trim();
    const actedOn = String(form.get('actedOn') ?? '');
    const answer = {
      status,
      publicNote: String(form.get('note') ?? ''),
      publicNoteLanguage: noteLanguage,
      publicNoteTranslation: translation || null,
      evidenceActionOn: actedOn ? `${actedOn}T12:00:00.000Z` : null,
    };
    const response = citywideConcernId
      ? await answerGroup({ citywideConcernId, ...answer })
      : await change({ concernId, ...answer });
    if (!response.error) {
      setSaved(true);
      formElement.reset();
      onAnswered();
    }
  };
  return (
    <form onSubmit={submit} className="staff-panel answer-panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t(citywideConcernId ? 'citywide.answerHeading' : 'answer.heading')}</h3>
      <label htmlFor={`${id}-status`}>{t('answer.status')}</label>
      <select
        id={`${id}-status`}
        name="status"
        value={status}
        onChange={(event) => setStatus(event.target.value as AnswerStatus)}
      >
        {STATUSES.map((s) => (
          <option key={s} value={s} disabled={!NEXT[current]?.includes(s)}>
            {t(`cstatus.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-language`}>{t('answer.noteLanguage')}</label>
      <select
        id={`${id}-language`}
        name="language"
        value={noteLanguage}
        onChange={(event) => setNoteLanguage(event.target.value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {language(l)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-note`}>{t('answer.note')}</label>
      <textarea id={`${id}-note`} name="note" lang={noteLanguage} required maxLength={2000} rows={3} />
      <label htmlFor={`${id}-translation`}>{t('answer.translation', { language: language(other) })}</label>
      <textarea id={`${id}-translation`} name="translation" lang={other} maxLength={2000} rows={3} />
      <label htmlFor={`${id}-acted`}>{t('answer.evidenceOn')}</label>
      <input id={`${id}-acted`} name="actedOn" type="date" />
      <button type="submit" disabled={result.fetching}>
        {t(citywideConcernId ? 'citywide.answerSubmit' : 'answer.submit')}
      </button>
      {result.error ? (
        <p role="alert" className="error">
          {describe(result.error, current)}
        </p>
      ) : null}
      {saved && !result.error ? (
        <p role="status">{t(citywideConcernId ? 'citywide.answerSaved' : 'answer.saved')}</p>
      ) : null}
    </form>
  );
}
