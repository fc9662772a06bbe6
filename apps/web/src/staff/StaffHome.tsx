import { useQuery } from 'urql';
import { useSession } from '../auth.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

const StaffHomeQuery = graphql(`
  query StaffHome_Work {
    drafts: conversations(filter: { status: DRAFT }, first: 1) {
      totalCount
    }
    newConcerns: concerns(filter: { status: [NEW] }, first: 1) {
      totalCount
    }
  }
`);

/** Where staff land after signing in: the work waiting for them, one click away. */
export function StaffHome() {
  const { t, plural } = useI18n();
  const session = useSession();
  useDocumentTitle(t('staffHome.heading'));
  const [{ data }] = useQuery({ query: StaffHomeQuery });
  return (
    <section aria-labelledby="staff-home-heading">
      <h2 id="staff-home-heading">{t('staffHome.heading')}</h2>
      {session ? <p role="status">{t('signin.signedIn', { role: session.role })}</p> : null}
      <ul className="plain">
        <li>
          <a href={href('staff', 'review')}>{t('nav.review')}</a>
          {data ? <span className="muted"> · {plural('staffHome.drafts', data.drafts.totalCount)}</span> : null}
        </li>
        <li>
          <a href={`${href('concerns')}?status=NEW`}>{t('nav.concerns')}</a>
          {data ? <span className="muted"> · {plural('staffHome.new', data.newConcerns.totalCount)}</span> : null}
        </li>
        <li>
          <a href={href('staff', 'upload')}>{t('nav.upload')}</a>
        </li>
        <li>
          <a href={href('staff', 'equity')}>{t('nav.equity')}</a>
        </li>
      </ul>
    </section>
  );
}
