import { useState } from 'react';
import { useSession } from '../auth.ts';
import { ContentLanguageNote } from '../components/ContentLanguageNote.tsx';
import { ContentText } from '../components/ContentText.tsx';
import { MeasureChart, MeasureChartFragment } from '../components/MeasureChart.tsx';
import { PlanText } from '../components/PlanText.tsx';
import { QueryState, unavailableServices } from '../components/QueryState.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { useLeaveOutMissing } from '../components/useLeaveOutMissing.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { InitiativeStatusForm } from '../staff/InitiativeStatusForm.tsx';
import { ObservationForm, ObservationFormFragment } from '../staff/ObservationForm.tsx';
import { ServiceCard, ServiceCardFragment } from './ServiceCard.tsx';

export const InitiativePageQuery = graphql(
  `
  query InitiativePage_Initiative(
    $id: ID!
    $language: String!
    $withConcerns: Boolean! = true
    $withResources: Boolean! = true
    $measures: Int! = 10
  ) {
    initiative(id: $id) {
      id
      code
      title
      description
      status
      themes
      viewerCanEdit
      leadDepartment {
        id
        name
      }
      whyItMatters
      whatWeHaveBeenDoing
      whatsNext
      content(language: $language) {
        field
        text
        language
        machineTranslated
        original
      }
      statusHistory {
        id
        status
        note
        changedAt
      }
      measures(first: $measures) {
        id
        name
        ...MeasureChart_Measure
        ...ObservationForm_Measure
      }
      concerns @include(if: $withConcerns) {
        id
        summary
        language
        status
        neighborhood {
          id
          name
        }
      }
      resources @include(if: $withResources) {
        id
        ...ServiceCard_Service
      }
    }
  }
`,
  [MeasureChartFragment, ServiceCardFragment, ObservationFormFragment],
);

export function InitiativePage({ id }: { id: string }) {
  const { t, date, locale } = useI18n();
  const session = useSession();
  const [skipped, setSkipped] = useState<string[]>([]);
  const [{ data, fetching, error }] = useDeferredQuery({
    query: InitiativePageQuery,
    variables: {
      id,
      language: locale,
      withConcerns: !skipped.includes('engagement'),
      withResources: !skipped.includes('resources'),
    },
    requestPolicy: skipped.length ? 'network-only' : 'cache-first',
  });
  useLeaveOutMissing(error, !!data && !data.initiative, setSkipped);
  const initiative = data?.initiative;
  useDocumentTitle(initiative ? `${initiative.code} ${initiative.title}` : t('nav.plan'));
  const missing = [...unavailableServices(error), ...skipped];
  const concerns = initiative?.concerns ?? [];
  const resources = initiative?.resources ?? [];
  const inLanguage = (field: string) => initiative?.content.find((c) => c.field === field);
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data} alsoMissing={skipped}>
      {data && !initiative && missing.length === 0 ? <p role="alert">{t('state.notFound')}</p> : null}
      {initiative ? (
        <article aria-labelledby="initiative-heading">
          <h2 id="initiative-heading">
            <span className="code">{initiative.code}</span>{' '}
            <PlanText as="span" item={inLanguage('title')} fallback={initiative.title} />
          </h2>
          <p>
            <StatusBadge status={initiative.status} />
            {initiative.leadDepartment ? (
              <span className="muted"> · {t('plan.lead', { name: initiative.leadDepartment.name })}</span>
            ) : null}
          </p>
          <ThemeTags themes={initiative.themes} />
          <ContentLanguageNote language={inLanguage('title')?.language ?? 'en'} />
          {initiative.description ? (
            <PlanText item={inLanguage('description')} fallback={initiative.description} />
          ) : null}
          {(
            [
              ['initiative.whyItMatters', 'whyItMatters', initiative.whyItMatters],
              ['initiative.whatWeHaveBeenDoing', 'whatWeHaveBeenDoing', initiative.whatWeHaveBeenDoing],
              ['initiative.whatsNext', 'whatsNext', initiative.whatsNext],
            ] as const
          ).map(([label, field, text]) =>
            text ? (
              <section key={label}>
                <h3>{t(label)}</h3>
                <PlanText item={inLanguage(field)} fallback={text} />
              </section>
            ) : null,
          )}
          <section aria-labelledby="initiative-measures">
            <h3 id="initiative-measures">{t('initiative.measures')}</h3>
            {initiative.measures.length === 0 ? <p className="muted">{t('measure.noData')}</p> : null}
            {initiative.measures.map((m) => (
              <MeasureChart key={m.id} measure={m} />
            ))}
          </section>
          <section aria-labelledby="initiative-concerns" className="concerns">
            <h3 id="initiative-concerns">{t('initiative.concerns')}</h3>
            {concerns.length === 0 ? (
              <p className="muted">{missing.includes('engagement') ? t('state.sectionMissing') : t('state.empty')}</p>
            ) : null}
            <ul>
              {concerns.map((c) => (
                <li key={c.id}>
                  <ContentText as="span" language={c.language}>
                    <a href={href('concerns', c.id)}>{c.summary}</a>
                  </ContentText>
                  {c.neighborhood ? <span className="muted"> · {c.neighborhood.name}</span> : null}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="initiative-resources">
            <h3 id="initiative-resources">{t('initiative.resources')}</h3>
            {resources.length === 0 ? (
              <p className="muted">{missing.includes('resources') ? t('state.sectionMissing') : t('state.empty')}</p>
            ) : null}
            <ul className="plain">
              {resources.map((s) => (
                <ServiceCard key={s.id} service={s} headingLevel={4} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="initiative-history">
            <h3 id="initiative-history">{t('initiative.history')}</h3>
            {initiative.statusHistory.length === 0 ? <p className="muted">{t('state.empty')}</p> : null}
            <ol className="timeline">
              {initiative.statusHistory.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.changedAt}>{date(h.changedAt)}</time> · <StatusBadge status={h.status} />
                  {h.note ? <p>{h.note}</p> : null}
                </li>
              ))}
            </ol>
          </section>
          {session && initiative.viewerCanEdit ? (
            <>
              <InitiativeStatusForm key={initiative.id} initiativeId={initiative.id} current={initiative.status} />
              <ObservationForm initiativeId={initiative.id} measures={initiative.measures} />
            </>
          ) : null}
        </article>
      ) : null}
    </QueryState>
  );
}
