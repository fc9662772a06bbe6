import { PlanText, type PlanTextItem, planField } from '../components/PlanText.tsx';
import type { FragmentOf } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { InitiativeCard, type InitiativeCardFragment } from './InitiativeCard.tsx';

export const STATUSES = ['IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING'] as const;
export type Status = (typeof STATUSES)[number];
/** The filter's value for initiatives without a published status. */
export const NO_STATUS = 'NONE';

export interface ObjectiveGroup {
  id: string;
  code: string;
  title: string | null;
  content: readonly PlanTextItem[];
  initiatives: { id: string; status: Status | null; card: FragmentOf<typeof InitiativeCardFragment> }[];
}

/** Counts by status, "no status" last, in the interface language: "2 In Progress · 24 No status reported yet". */
export function useStatusCounts() {
  const { t, number } = useI18n();
  return (statuses: readonly (Status | null)[]) => {
    const counts = [...STATUSES, null].map((status) => ({
      status,
      label: status ? t(`status.${status}`) : t('dashboard.noStatus'),
      count: statuses.filter((s) => s === status).length,
    }));
    return {
      counts,
      text: counts
        .filter((c) => c.count > 0)
        .map((c) => `${number(c.count)} ${c.label}`)
        .join(' · '),
    };
  };
}

/** A goal of the plan: its statement, a status summary, and its objectives (1.1, 1.2 …) with their initiatives. */
export function GoalSection({
  number: goalNumber,
  title,
  content,
  objectives,
}: {
  number: number;
  title: string;
  content: readonly PlanTextItem[];
  objectives: ObjectiveGroup[];
}) {
  const { t, number } = useI18n();
  const statusCounts = useStatusCounts();
  const statuses = objectives.flatMap((o) => o.initiatives.map((i) => i.status));
  return (
    <section className="goal" aria-labelledby={`goal-${goalNumber}`}>
      <h3 id={`goal-${goalNumber}`}>
        {t('plan.goal', { number: goalNumber, title: '' }).trimEnd()}{' '}
        <PlanText as="span" item={planField(content, 'title')} fallback={title} />
      </h3>
      {planField(content, 'statement') ? <PlanText item={planField(content, 'statement')} fallback="" /> : null}
      <p className="muted goal-summary">
        {t('dashboard.goalSummary', { total: number(statuses.length), counts: statusCounts(statuses).text })}
      </p>
      {objectives.map((objective) => (
        <section key={objective.id} className="objective" aria-labelledby={`objective-${objective.id}`}>
          <h4 id={`objective-${objective.id}`}>
            {t('dashboard.objectiveCode', { code: objective.code })}
            {objective.title ? (
              <>
                : <PlanText as="span" item={planField(objective.content, 'title')} fallback={objective.title} />
              </>
            ) : null}
          </h4>
          <div className="grid">
            {objective.initiatives.map((initiative) => (
              <InitiativeCard key={initiative.id} initiative={initiative.card} />
            ))}
          </div>
        </section>
      ))}
    </section>
  );
}
