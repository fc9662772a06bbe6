import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.tsx';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { InitiativeCard, InitiativeCardFragment } from './InitiativeCard.tsx';

// One query per goal keeps each request under the gateway's cost limit.
const GoalSectionQuery = graphql(
  `
  query GoalSection_Goal($number: Int!) {
    goal(number: $number) {
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

export function GoalSection({ number: goalNumber, title }: { number: number; title: string }) {
  const { t, number } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: GoalSectionQuery, variables: { number: goalNumber } });
  const goal = data?.goal;
  return (
    <section className="goal" aria-labelledby={`goal-${goalNumber}`}>
      <h3 id={`goal-${goalNumber}`}>{t('plan.goal', { number: goalNumber, title })}</h3>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {goal?.statement ? <p lang="en">{goal.statement}</p> : null}
        {goal ? (
          <p className="muted">
            {t('plan.summary', {
              inProgress: number(goal.statusSummary.inProgress),
              onHold: number(goal.statusSummary.onHold),
              complete: number(goal.statusSummary.completeOngoing),
            })}
          </p>
        ) : null}
        <div className="grid">
          {goal?.initiatives.map((initiative) => (
            <InitiativeCard key={initiative.id} initiative={initiative} />
          ))}
        </div>
      </QueryState>
    </section>
  );
}
