import { type FormEvent, useId, useState } from 'react';
import { decodeSession, setToken, useSession } from '../auth.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href, navigate } from '../router.ts';

/** Staff sign-in: paste a token; it is kept for this browser tab only (sessionStorage), then on to the staff home. */
export function SignInPage() {
  const { t } = useI18n();
  const id = useId();
  const session = useSession();
  const [invalid, setInvalid] = useState(false);
  useDocumentTitle(t('signin.heading'));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    const valid = decodeSession(token) !== null;
    setInvalid(!valid);
    if (!valid) return;
    setToken(token);
    navigate(href('staff'));
  };
  return (
    <section aria-labelledby="signin-heading">
      <h2 id="signin-heading">{t('signin.heading')}</h2>
      {session ? <p role="status">{t('signin.signedIn', { role: session.role })}</p> : null}
      <form onSubmit={submit}>
        <label htmlFor={`${id}-token`}>{t('signin.token')}</label>
        <p id={`${id}-help`} className="muted">
          {t('signin.help')}
          {/* MODE, not DEV: DEV follows NODE_ENV, which a test runner sets to "test" even for a production build. */}
          {import.meta.env.MODE === 'development' ? (
            <>
              {' '}
              <code>{t('signin.devHelp')}</code>
            </>
          ) : null}
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
