import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.tsx';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { InitiativeCard, InitiativeCardFragment } from './InitiativeCard.tsx';

const PlanDashboardQuery = graphql(
  `
  query PlanDashboard_Goals {
    goals {
      id
      number
      title
      statement
      statusSummary {
        inProgress
        onHold
        completeOngoing
      }
      initiatives {
        id
        ...InitiativeCard_Initiative
      }
    }
  }
`,
  [InitiativeCardFragment],
);

/** The strategic-plan dashboard: five goals, each initiative with status, key measure and narratives. */
export function PlanDashboard() {
  const { t, number } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: PlanDashboardQuery });
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">{t('plan.heading')}</h2>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data?.goals.length === 0 ? <p>{t('state.empty')}</p> : null}
        {data?.goals.map((goal) => (
          <section key={goal.id} className="goal" aria-labelledby={`goal-${goal.number}`}>
            <h3 id={`goal-${goal.number}`}>{t('plan.goal', { number: goal.number, title: goal.title })}</h3>
            {goal.statement ? <p lang="en">{goal.statement}</p> : null}
            <p className="muted">
              {t('plan.summary', {
                inProgress: number(goal.statusSummary.inProgress),
                onHold: number(goal.statusSummary.onHold),
                complete: number(goal.statusSummary.completeOngoing),
              })}
            </p>
            <div className="grid">
              {goal.initiatives.map((initiative) => (
                <InitiativeCard key={initiative.id} initiative={initiative} />
              ))}
            </div>
          </section>
        ))}
      </QueryState>
    </section>
  );
}
