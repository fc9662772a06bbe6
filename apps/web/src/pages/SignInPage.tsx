import { type FormEvent, useId, useState } from 'react';
import { decodeSession, setToken, useSession } from '../auth.ts';
import { useI18n } from '../i18n/I18n.tsx';

/** Development sign-in: paste a staff JWT; it is kept for this browser tab only (sessionStorage). */
export function SignInPage() {
  const { t } = useI18n();
  const id = useId();
  const session = useSession();
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    const valid = decodeSession(token) !== null;
    setInvalid(!valid);
    if (valid) setToken(token);
  };
  return (
    <section aria-labelledby="signin-heading">
      <h2 id="signin-heading">{t('signin.heading')}</h2>
      {session ? <p role="status">{t('signin.signedIn', { role: session.role })}</p> : null}
      <form onSubmit={submit}>
        <label htmlFor={`${id}-token`}>{t('signin.token')}</label>
        <p id={`${id}-help`} className="muted">
          {t('signin.help')}
        </p>
        <textarea id={`${id}-token`} name="token" rows={4} required aria-describedby={`${id}-help`} />
        <button type="submit">{t('signin.submit')}</button>
        {invalid ? (
          <p role="alert" className="error">
            {t('signin.invalid')}
          </p>
        ) : null}
      </form>
    </section>
  );
}
