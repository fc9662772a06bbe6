import { useQuery } from 'urql';
import { useSession } from '../auth.ts';
import { ConcernStatusBadge } from '../components/ConcernStatusBadge.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { DisputeList } from './DisputeList.tsx';

const WAITING_SHOWN = 10;
const DAY_MS = 86_400_000;

const StaffHomeQuery = graphql(`
  query StaffHome_Work {
    drafts: conversations(filter: { status: DRAFT }, first: 1) {
      totalCount
    }
    waiting: concerns(filter: { status: [NEW, UNDER_REVIEW] }, orderBy: OLDEST, first: 10) {
      totalCount
      edges {
        node {
          id
          summary
          language
          status
          createdAt
          neighborhood {
            id
            name
          }
        }
      }
    }
    proposedCitywideConcerns(first: 5) {
      id
      size
      statement
      representative {
        id
        language
      }
    }
    concernDisputes(moderation: PENDING, first: 50) {
      id
      note
      language
      moderation
      createdAt
      concern {
        id
        summary
        language
      }
    }
  }
`);

/** Where staff land after signing in: the work waiting for them, oldest first, one click away. */
export function StaffHome() {
  const { t, plural, date } = useI18n();
  const session = useSession();
  useDocumentTitle(t('staffHome.heading'));
  const [{ data, error }, reexecute] = useQuery({ query: StaffHomeQuery });
  const now = Date.now();
  const waiting = data?.waiting.edges.map((e) => e.node) ?? [];
  const groups = data?.proposedCitywideConcerns ?? [];
  const disputes = data?.concernDisputes ?? [];
  return (
    <section aria-labelledby="staff-home-heading">
      <h2 id="staff-home-heading">{t('staffHome.heading')}</h2>
      {session ? <p role="status">{t('signin.signedIn', { role: session.role })}</p> : null}
      {error ? (
        <p role="alert" className="error">
          {t('staffHome.error')}
        </p>
      ) : null}
      <ul className="plain">
        <li>
          <a href={href('staff', 'review')}>{t('nav.review')}</a>
          {data ? <span className="muted"> · {plural('staffHome.drafts', data.drafts.totalCount)}</span> : null}
        </li>
        <li>
          <a href={href('staff', 'groups')}>{t('groups.heading')}</a>
          {data ? <span className="muted"> · {plural('staffHome.groups', groups.length)}</span> : null}
        </li>
        <li>
          <a href={href('staff', 'upload')}>{t('nav.upload')}</a>
        </li>
        <li>
          <a href={href('staff', 'equity')}>{t('nav.equity')}</a>
        </li>
      </ul>

      <section aria-labelledby="staff-waiting">
        <h3 id="staff-waiting">{t('staffHome.waitingHeading')}</h3>
        {data ? <p>{plural('staffHome.waiting', data.waiting.totalCount)}</p> : null}
        <ol className="plain waiting">
          {waiting.map((concern) => {
            const days = Math.max(0, Math.floor((now - new Date(concern.createdAt).getTime()) / DAY_MS));
            return (
              <li key={concern.id}>
                <a href={href('concerns', concern.id)} lang={concern.language}>
                  {concern.summary}
                </a>{' '}
                · <ConcernStatusBadge status={concern.status} /> ·{' '}
                {concern.neighborhood ? concern.neighborhood.name : t('concern.citywide')} ·{' '}
                <time dateTime={concern.createdAt} title={date(concern.createdAt)}>
                  {plural('staffHome.age', days)}
                </time>
              </li>
            );
          })}
        </ol>
        {data && data.waiting.totalCount > WAITING_SHOWN ? (
          <p>
            <a href={`${href('concerns')}?status=NEW`}>{t('staffHome.allWaiting')}</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="staff-groups">
        <h3 id="staff-groups">{t('staffHome.groupsHeading')}</h3>
        {data && groups.length === 0 ? <p className="muted">{t('groups.none')}</p> : null}
        <ul className="plain">
          {groups.map((group) => (
            <li key={group.id}>
              {group.statement ? <q lang={group.representative?.language ?? 'en'}>{group.statement}</q> : null} ·{' '}
              {plural('groups.size', group.size)}
            </li>
          ))}
        </ul>
        {groups.length ? (
          <p>
            <a href={href('staff', 'groups')}>{t('staffHome.reviewGroups')}</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="staff-disputes">
        <h3 id="staff-disputes">{t('disputes.pendingHeading')}</h3>
        {data ? (
          <DisputeList
            disputes={disputes}
            showConcern
            onModerated={() => reexecute({ requestPolicy: 'network-only' })}
          />
        ) : null}
      </section>
    </section>
  );
}
