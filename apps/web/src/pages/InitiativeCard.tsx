import { MeasureGauge, MeasureGaugeFragment } from '../components/MeasureGauge.tsx';
import { PlanText, planField } from '../components/PlanText.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

export const InitiativeCardFragment = graphql(
  `
  fragment InitiativeCard_Initiative on Initiative {
    id
    code
    status
    updatedAt
    leadDepartment {
      id
      name
    }
    content(language: $language) {
      field
      text
      language
      machineTranslated
      original
    }
    measures(first: 1) {
      id
      ...MeasureGauge_Measure
    }
  }
`,
  [MeasureGaugeFragment],
);

/** One initiative as the city's dashboard shows it: status, key measure, the three narratives, last change. */
export function InitiativeCard({ initiative: data }: { initiative: FragmentOf<typeof InitiativeCardFragment> }) {
  const { t, date } = useI18n();
  const initiative = readFragment(InitiativeCardFragment, data);
  const key = initiative.measures[0];
  const narratives = (['whyItMatters', 'whatWeHaveBeenDoing', 'whatsNext'] as const).flatMap((field) => {
    const item = planField(initiative.content, field);
    return item ? [[`initiative.${field}`, item] as const] : [];
  });
  return (
    <article className="card initiative-card">
      <h5>
        <a href={href('initiatives', initiative.id)}>
          <span className="code">{initiative.code}</span>{' '}
          <PlanText as="span" item={planField(initiative.content, 'title')} fallback={initiative.code} />
        </a>
      </h5>
      <p>
        {initiative.status ? (
          <StatusBadge status={initiative.status} />
        ) : (
          <span className="badge badge-none">{t('dashboard.noStatus')}</span>
        )}
        {initiative.leadDepartment ? (
          <span className="muted"> · {t('plan.lead', { name: initiative.leadDepartment.name })}</span>
        ) : null}
      </p>
      {key ? <MeasureGauge measure={key} /> : null}
      {narratives.map(([label, item]) => (
        <details key={label}>
          <summary>{t(label)}</summary>
          <PlanText item={item} fallback={item.original} />
        </details>
      ))}
      <p className="muted">
        <time dateTime={initiative.updatedAt}>{t('dashboard.updated', { date: date(initiative.updatedAt) })}</time>
      </p>
    </article>
  );
}
