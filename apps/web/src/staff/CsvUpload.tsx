import { type ChangeEvent, useId, useState } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { type CsvResult, validateConcernCsv } from './csv.ts';

interface Props {
  neighborhoods: { id: string; name: string; slug: string; nameEs?: string | null; aliases?: readonly string[] }[];
  onResult(result: CsvResult | null): void;
  result: CsvResult | null;
}

/**
 * Reads a CSV of concerns with a progress bar and previews every row with its errors, and the
 * moderation each concern will be stored with (the template's `moderation` column, else pending).
 */
export function CsvUpload({ neighborhoods, onResult, result }: Props) {
  const { t, number } = useI18n();
  const id = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    onResult(null);
    if (!file) return;
    const reader = new FileReader();
    setProgress(0);
    reader.onprogress = (e) => {
      if (e.lengthComputable) setProgress(e.loaded / e.total);
    };
    reader.onload = () => {
      setProgress(1);
      onResult(validateConcernCsv(String(reader.result ?? ''), neighborhoods));
    };
    reader.readAsText(file);
  };
  const bad = result?.rows.filter((r) => r.problems.length > 0).length ?? 0;
  const withLocation = result?.rows.some((r) => r.input.location) ?? false;
  return (
    <fieldset className="csv-upload">
      <legend>{t('upload.csv')}</legend>
      <p id={`${id}-help`} className="muted">
        {t('upload.csvHelp')}
      </p>
      <label htmlFor={`${id}-file`}>{t('upload.csv')}</label>
      <input id={`${id}-file`} type="file" accept=".csv,text/csv" onChange={choose} aria-describedby={`${id}-help`} />
      {progress !== null && progress < 1 ? (
        <>
          <label htmlFor={`${id}-progress`}>{t('upload.progress')}</label>
          <progress id={`${id}-progress`} max={1} value={progress}>
            {number(progress, { style: 'percent' })}
          </progress>
        </>
      ) : null}
      {result?.fileProblems.map((p) => (
        <p key={p.key} role="alert" className="error">
          {t(p.key)}
        </p>
      ))}
      {result && result.rows.length > 0 ? (
        <p role="status" className="sr-only">
          {t('upload.preview', { ok: number(result.rows.length - bad), bad: number(bad) })}
        </p>
      ) : null}
      {result && result.rows.length > 0 ? (
        <table className="preview">
          <caption>{t('upload.preview', { ok: number(result.rows.length - bad), bad: number(bad) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('upload.row')}</th>
              <th scope="col">summary</th>
              <th scope="col">{t('upload.moderation')}</th>
              {withLocation ? <th scope="col">{t('upload.location')}</th> : null}
              <th scope="col">{t('upload.problems')}</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.line} className={row.problems.length ? 'row-error' : undefined} data-row={row.line}>
                <th scope="row">{row.line}</th>
                {row.written !== undefined ? (
                  <td>
                    <code>{row.written}</code>
                  </td>
                ) : (
                  <td lang={row.input.language}>{row.input.summary}</td>
                )}
                <td>{row.written !== undefined ? null : t(`moderation.${row.input.moderation ?? 'PENDING'}`)}</td>
                {withLocation ? (
                  <td>
                    {row.input.location ? `${row.input.location.latitude}, ${row.input.location.longitude}` : null}
                  </td>
                ) : null}
                <td>
                  {row.problems.length
                    ? row.problems.map((p) => t(p.key, { value: p.value ?? '' })).join('; ')
                    : t('upload.rowOk')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </fieldset>
  );
}
