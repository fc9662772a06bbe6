import { useQuery } from 'urql';
import { ContentLanguageNote } from '../components/ContentLanguageNote.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { GoalSection } from './GoalSection.tsx';

const PlanDashboardQuery = graphql(`
  query PlanDashboard_Goals {
    goals {
      id
      number
      title
    }
  }
`);

/** The strategic-plan dashboard: five goals, each initiative with status, key measure and narratives. */
export function PlanDashboard() {
  const { t } = useI18n();
  useDocumentTitle(t('plan.heading'));
  const [{ data, fetching, error }] = useQuery({ query: PlanDashboardQuery });
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">{t('plan.heading')}</h2>
      <ContentLanguageNote language="en" />
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data?.goals.length === 0 ? <p>{t('state.empty')}</p> : null}
        {data?.goals.map((goal) => (
          <GoalSection key={goal.id} number={goal.number} title={goal.title} />
        ))}
      </QueryState>
    </section>
  );
}
