import { type FormEvent, useId, useState } from 'react';
import { planField } from '../components/PlanText.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql, type ResultOf, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { navigate, useRoute } from '../router.ts';
import { GoalSection, NO_STATUS, type ObjectiveGroup, STATUSES, useStatusCounts } from './GoalSection.tsx';
import { InitiativeCardFragment } from './InitiativeCard.tsx';

// The whole dashboard in one request: goals, then every initiative with its objective, flat. Nesting
// initiatives under goals and objectives would multiply the gateway's cost estimate by each list;
// plan text comes as `content(language:)` (sized by the fields each kind has) and each initiative
// brings its key measure alone (`measures(first: 1)` in InitiativeCard).
export const PlanDashboardQuery = graphql(
  `
  query PlanDashboard_Plan($language: String!) {
    goals {
      id
      number
      title
      content(language: $language) {
        field
        text
        language
        machineTranslated
        original
      }
    }
    initiatives {
      id
      goal {
        id
        number
      }
      objective {
        id
        code
        title
        content(language: $language) {
          field
        text
        language
        machineTranslated
        original
        }
      }
      ...InitiativeCard_Initiative
    }
  }
`,
  [InitiativeCardFragment],
);

type Initiative = ResultOf<typeof PlanDashboardQuery>['initiatives'][number];
/**
 * What the card shows (code, status, lead department, last change) is read from its fragment, not asked
 * for twice: every field of an initiative counts 20 times in the gateway's estimate of this query.
 */
const card = (initiative: Initiative) => readFragment(InitiativeCardFragment, initiative);
const FILTER_KEYS = ['goal', 'department', 'status'] as const;
const WIDE_SCREEN = '(min-width: 48rem)';
const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, 'en', { numeric: true });

function matches(initiative: Initiative, query: URLSearchParams): boolean {
  const goal = query.get('goal');
  const department = query.get('department');
  const status = query.get('status');
  if (goal && String(initiative.goal.number) !== goal) return false;
  if (department && card(initiative).leadDepartment?.id !== department) return false;
  if (status && (card(initiative).status ?? NO_STATUS) !== status) return false;
  return true;
}

function objectivesOf(initiatives: Initiative[]): ObjectiveGroup[] {
  const groups = new Map<string, ObjectiveGroup>();
  for (const initiative of [...initiatives].sort((a, b) => byCode(card(a), card(b)))) {
    const { objective } = initiative;
    const group = groups.get(objective.id) ?? { ...objective, initiatives: [] };
    group.initiatives.push({ id: initiative.id, status: card(initiative).status ?? null, card: initiative });
    groups.set(objective.id, group);
  }
  return [...groups.values()].sort(byCode);
}

function DashboardFilters({
  query,
  goals,
  departments,
}: {
  query: URLSearchParams;
  goals: { number: number; title: string }[];
  departments: { id: string; name: string }[];
}) {
  const { t } = useI18n();
  const id = useId();
  const field = (name: string) => `${id}-${name}`;
  const apply = (next: URLSearchParams) => navigate(`/${next.size ? `?${next}` : ''}`);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = form.get(key);
      if (typeof value === 'string' && value) next.set(key, value);
    }
    apply(next);
  };
  return (
    <form className="filters inline-form" onSubmit={submit} aria-labelledby={field('heading')} key={query.toString()}>
      <h3 id={field('heading')}>{t('dashboard.filters')}</h3>
      <div>
        <label htmlFor={field('goal')}>{t('dashboard.goal')}</label>
        <select id={field('goal')} name="goal" defaultValue={query.get('goal') ?? ''}>
          <option value="">{t('filter.any')}</option>
          {goals.map((goal) => (
            <option key={goal.number} value={goal.number}>
              {t('dashboard.goalOption', { number: goal.number, title: goal.title })}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={field('department')}>{t('dashboard.department')}</label>
        <select id={field('department')} name="department" defaultValue={query.get('department') ?? ''}>
          <option value="">{t('filter.any')}</option>
          {departments.map((department) => (
            <option key={department.id} value={department.id}>
              {department.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={field('status')}>{t('dashboard.status')}</label>
        <select id={field('status')} name="status" defaultValue={query.get('status') ?? ''}>
          <option value="">{t('filter.any')}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
          <option value={NO_STATUS}>{t('dashboard.noStatus')}</option>
        </select>
      </div>
      <div className="actions">
        <button type="submit">{t('filter.apply')}</button>
        <button type="button" className="secondary" onClick={() => apply(new URLSearchParams())}>
          {t('filter.clear')}
        </button>
      </div>
    </form>
  );
}

/** The strategic-plan dashboard: goal → objective → initiative, a status summary, filters in the address. */
export function PlanDashboard() {
  const { t, number, date, locale } = useI18n();
  useDocumentTitle(t('plan.heading'));
  const { query } = useRoute();
  const [{ data, fetching, error }] = useDeferredQuery({ query: PlanDashboardQuery, variables: { language: locale } });
  const statusCounts = useStatusCounts();
  // On a phone the plan comes first: the filters wait behind one control.
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia(WIDE_SCREEN).matches);
  const all = data?.initiatives ?? [];
  const shown = all.filter((initiative) => matches(initiative, query));
  const departments = [
    ...new Map(
      all.flatMap((i) => {
        const lead = card(i).leadDepartment;
        return lead ? [[lead.id, lead]] : [];
      }),
    ).values(),
  ].sort((a, b) => a.name.localeCompare(b.name));
  const lastUpdated = all.reduce<string | null>(
    (latest, i) => (!latest || card(i).updatedAt > latest ? card(i).updatedAt : latest),
    null,
  );
  const summary = statusCounts(shown.map((i) => card(i).status ?? null));
  const goals = [...(data?.goals ?? [])].sort((a, b) => a.number - b.number);
  const goalOptions = goals.map((goal) => ({
    number: goal.number,
    title: planField(goal.content, 'title')?.text ?? goal.title,
  }));
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">{t('plan.heading')}</h2>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {lastUpdated ? (
          <p className="muted">
            <time dateTime={lastUpdated}>{t('dashboard.planUpdated', { date: date(lastUpdated) })}</time>
          </p>
        ) : null}
        <details className="filters-panel" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
          <summary>{t('dashboard.filters')}</summary>
          <DashboardFilters query={query} goals={goalOptions} departments={departments} />
        </details>
        <section aria-labelledby="plan-summary" className="status-summary">
          <h3 id="plan-summary">{t('dashboard.summary')}</h3>
          <table className="compact">
            <caption className="muted">
              {shown.length === all.length
                ? t('dashboard.summaryCaption')
                : t('dashboard.showing', { shown: number(shown.length), total: number(all.length) })}
            </caption>
            <tbody>
              {summary.counts.map((row) => (
                <tr key={row.status ?? NO_STATUS}>
                  <th scope="row">{row.label}</th>
                  <td>{number(row.count)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('dashboard.total')}</th>
                <td>{number(shown.length)}</td>
              </tr>
            </tbody>
          </table>
          {summary.counts.some((row) => row.status === null && row.count > 0) ? (
            <p className="muted">{t('dashboard.noStatusNote')}</p>
          ) : null}
        </section>
        {data && shown.length === 0 ? <p>{t('dashboard.empty')}</p> : null}
        {goals.map((goal) => {
          const objectives = objectivesOf(shown.filter((i) => i.goal.id === goal.id));
          if (objectives.length === 0 && shown.length < all.length) return null;
          return (
            <GoalSection
              key={goal.id}
              number={goal.number}
              title={goal.title}
              content={goal.content}
              objectives={objectives}
            />
          );
        })}
      </QueryState>
    </section>
  );
}
