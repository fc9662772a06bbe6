import { lazy, Suspense } from 'react';
import { setToken, useSession } from './auth.ts';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { RequireStaff } from './components/RequireStaff.tsx';
import { useI18n } from './i18n/I18n.tsx';
import { AccessibilityPage, CITY_PHONE, CITY_PHONE_HREF, NotFoundPage, PrivacyPage } from './pages/StatementPages.tsx';
import { href, type Route, useRoute } from './router.ts';

// Every page loads on demand: the first load carries the shell and the page it shows, not the map
// (d3-geo, topojson) or the charts (d3-scale, d3-time) of other pages, nor the staff pages.
const PlanDashboard = lazy(() => import('./pages/PlanDashboard.tsx').then((m) => ({ default: m.PlanDashboard })));
const ConcernList = lazy(() => import('./pages/ConcernList.tsx').then((m) => ({ default: m.ConcernList })));
const ConcernPage = lazy(() => import('./pages/ConcernPage.tsx').then((m) => ({ default: m.ConcernPage })));
const ConversationPage = lazy(() =>
  import('./pages/ConversationPage.tsx').then((m) => ({ default: m.ConversationPage })),
);
const InitiativePage = lazy(() => import('./pages/InitiativePage.tsx').then((m) => ({ default: m.InitiativePage })));
const NeighborhoodList = lazy(() =>
  import('./pages/NeighborhoodList.tsx').then((m) => ({ default: m.NeighborhoodList })),
);
const NeighborhoodPage = lazy(() =>
  import('./pages/NeighborhoodPage.tsx').then((m) => ({ default: m.NeighborhoodPage })),
);
const ResourceDirectory = lazy(() =>
  import('./pages/ResourceDirectory.tsx').then((m) => ({ default: m.ResourceDirectory })),
);
const ServicePage = lazy(() => import('./pages/ServicePage.tsx').then((m) => ({ default: m.ServicePage })));
const SignInPage = lazy(() => import('./pages/SignInPage.tsx').then((m) => ({ default: m.SignInPage })));
const UploadConversation = lazy(() =>
  import('./staff/UploadConversation.tsx').then((m) => ({ default: m.UploadConversation })),
);
const ReviewPage = lazy(() => import('./staff/ReviewPage.tsx').then((m) => ({ default: m.ReviewPage })));
const EquityGapPage = lazy(() => import('./staff/EquityGapPage.tsx').then((m) => ({ default: m.EquityGapPage })));
const StaffHome = lazy(() => import('./staff/StaffHome.tsx').then((m) => ({ default: m.StaffHome })));
const ProposedGroupsPage = lazy(() =>
  import('./staff/ProposedGroupsPage.tsx').then((m) => ({ default: m.ProposedGroupsPage })),
);

const STAFF_PAGES = {
  review: ReviewPage,
  equity: EquityGapPage,
  upload: UploadConversation,
  groups: ProposedGroupsPage,
} as const;

function Page({ route }: { route: Route }) {
  const [section, id] = route.segments;
  switch (section) {
    case undefined:
    case 'plan':
      return <PlanDashboard />;
    case 'concerns':
      return id ? <ConcernPage id={id} /> : <ConcernList query={route.query} />;
    case 'initiatives':
      return id ? <InitiativePage id={id} /> : <PlanDashboard />;
    case 'neighborhoods':
      return id ? <NeighborhoodPage id={id} /> : <NeighborhoodList />;
    case 'conversations':
      return id ? <ConversationPage id={id} /> : <NotFoundPage />;
    case 'resources':
      return id ? <ServicePage id={id} /> : <ResourceDirectory query={route.query} />;
    case 'sign-in':
      return <SignInPage />;
    case 'privacy':
      return <PrivacyPage />;
    case 'accessibility':
      return <AccessibilityPage />;
    case 'staff': {
      const StaffPage = id === undefined ? StaffHome : STAFF_PAGES[id as keyof typeof STAFF_PAGES];
      if (!StaffPage) return <NotFoundPage />;
      return (
        <RequireStaff>
          <StaffPage />
        </RequireStaff>
      );
    }
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const { t } = useI18n();
  const route = useRoute();
  const session = useSession();
  const current = `#/${route.segments.join('/')}`;
  const isCurrent = (to: string) => current === to || (to !== '#/' && to !== '#/staff' && current.startsWith(to));
  const link = (to: string, label: string) => (
    <li>
      <a href={to} aria-current={isCurrent(to) ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <>
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t('app.skip')}
      </button>
      <header>
        <div>
          <h1>{t('app.title')}</h1>
          <p>{t('app.tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <nav aria-label={t('nav.label')}>
        <ul>
          {link('#/', t('nav.plan'))}
          {link(href('concerns'), t('nav.concerns'))}
          {link(href('neighborhoods'), t('nav.neighborhoods'))}
          {link(href('resources'), t('nav.resources'))}
          {session ? (
            <>
              {link(href('staff'), t('nav.staffHome'))}
              {link(href('staff', 'upload'), t('nav.upload'))}
              {link(href('staff', 'review'), t('nav.review'))}
              {link(href('staff', 'equity'), t('nav.equity'))}
              <li>
                <button type="button" className="link" onClick={() => setToken(null)}>
                  {t('nav.signOut')}
                </button>
              </li>
            </>
          ) : null}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p role="status">{t('state.loading')}</p>}>
          <Page route={route} />
        </Suspense>
      </main>
      <footer>
        <p>
          <strong>{t('footer.city')}</strong>
        </p>
        <p>
          {t('footer.contact')} <a href={CITY_PHONE_HREF}>{CITY_PHONE}</a> ·{' '}
          <a href="https://www.durhamnc.gov/">{t('footer.website')}</a>
        </p>
        <ul>
          {link(href('privacy'), t('footer.privacy'))}
          {link(href('accessibility'), t('footer.accessibility'))}
          {session ? null : link(href('sign-in'), t('nav.signIn'))}
        </ul>
      </footer>
    </>
  );
}
