import { useState } from 'react';
import { useSession } from '../auth.ts';
import { ConcernStatusBadge } from '../components/ConcernStatusBadge.tsx';
import { ContentText } from '../components/ContentText.tsx';
import { MeasureGauge, MeasureGaugeFragment } from '../components/MeasureGauge.tsx';
import { QueryState, unavailableServices } from '../components/QueryState.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { useLeaveOutMissing } from '../components/useLeaveOutMissing.ts';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { AlignPanel } from '../staff/AlignPanel.tsx';
import { AnswerPanel } from '../staff/AnswerPanel.tsx';
import { CitywideGroup } from '../staff/CitywideGroup.tsx';
import { DisputeList } from '../staff/DisputeList.tsx';
import { ServiceCard, ServiceCardFragment } from './ServiceCard.tsx';

/** The flagship query: one request, joined by the gateway across all three subgraphs. */
export const ConcernPageQuery = graphql(
  `
  query ConcernPage_Concern($id: ID!, $language: String!, $withInitiatives: Boolean! = true, $withResources: Boolean! = true) {
    concern(id: $id) {
      id
      summary
      detail
      language
      themes
      status
      supportCount
      ward
      neighborhood {
        id
        name
        nameEs
        equityPriority
      }
      location {
        exact
      }
      conversation {
        id
        title
        heldOn
      }
      statusHistory {
        id
        toStatus
        changedAt
        note: publicNote(language: $language)
        noteMachineTranslated: publicNoteMachineTranslated(language: $language)
        original: publicNote
        originalLanguage: publicNoteLanguage
      }
      citywideConcern {
        id
      }
      alignments {
        id
        rationale
        initiative {
          id
        }
        resource {
          id
        }
      }
      initiatives @include(if: $withInitiatives) {
        id
        code
        title
        status
        leadDepartment {
          id
          name
        }
        keyMeasures: measures(first: 1) {
          id
          ...MeasureGauge_Measure
        }
      }
      resources @include(if: $withResources) {
        id
        ...ServiceCard_Service
      }
    }
  }
`,
  [MeasureGaugeFragment, ServiceCardFragment],
);

/** Residents' disputes: their own request (a list the gateway's cost estimate weighs heavily in the page's one). */
const ConcernDisputesQuery = graphql(`
  query ConcernPage_Disputes($id: ID!) {
    concern(id: $id) {
      id
      disputes {
        id
        note
        language
        moderation
        createdAt
      }
    }
  }
`);

export function ConcernPage({ id }: { id: string }) {
  const { t, date, number, locale } = useI18n();
  const session = useSession();
  const [skipped, setSkipped] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useDeferredQuery({
    query: ConcernPageQuery,
    variables: {
      id,
      language: locale,
      withInitiatives: !skipped.includes('initiatives'),
      withResources: !skipped.includes('resources'),
    },
    // The cache holds the null the first answer left; the narrower question must reach the gateway.
    requestPolicy: skipped.length ? 'network-only' : 'cache-first',
  });
  useLeaveOutMissing(error, !!data && !data.concern, setSkipped);
  const concern = data?.concern;
  useDocumentTitle(concern?.summary ?? t('nav.concerns'));
  const missing = [...unavailableServices(error), ...skipped];
  const initiatives = concern?.initiatives ?? [];
  const resources = concern?.resources ?? [];
  const rationaleOf = (targetId: string) =>
    concern?.alignments.find((a) => a.initiative?.id === targetId || a.resource?.id === targetId)?.rationale;
  const history = concern?.statusHistory ?? [];
  const [{ data: disputeData }, reexecuteDisputes] = useDeferredQuery({
    query: ConcernDisputesQuery,
    variables: { id },
  });
  const disputes = disputeData?.concern?.disputes ?? [];
  const placeName = (n: { name: string; nameEs: string }) => (locale === 'es' ? n.nameEs : n.name);
  // Residents' "not fixed" notes join the timeline once staff accept them.
  const acceptedDisputes = disputes.filter((d) => d.moderation === 'ACCEPTED');
  const timeline = [
    ...history.map((change) => ({ at: change.changedAt, change, dispute: null })),
    ...acceptedDisputes.map((dispute) => ({ at: dispute.createdAt, change: null, dispute })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const answered = history.some((change) => change.note);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data} alsoMissing={skipped}>
      {data && !concern && missing.length === 0 ? <p role="alert">{t('state.notFound')}</p> : null}
      {concern ? (
        <article aria-labelledby="concern-heading">
          <ContentText as="h2" language={concern.language}>
            <span id="concern-heading">{concern.summary}</span>
          </ContentText>
          {concern.detail ? <ContentText language={concern.language}>{concern.detail}</ContentText> : null}
          <dl className="facts">
            <dt>{t('concern.status')}</dt>
            <dd>
              <ConcernStatusBadge status={concern.status} />
            </dd>
            <dt>{t('concern.neighborhood')}</dt>
            <dd>
              {/* Where it was heard: the neighborhood's page. */}
              {concern.neighborhood ? (
                <a href={href('neighborhoods', concern.neighborhood.id)}>
                  {concern.location
                    ? t('places.near', { name: placeName(concern.neighborhood) })
                    : placeName(concern.neighborhood)}
                </a>
              ) : (
                t('concern.citywide')
              )}
              {concern.ward ? ` · ${t('map.ward', { number: concern.ward })}` : ''}
              {concern.neighborhood?.equityPriority ? ` · ${t('concern.equityPriority')}` : ''}
            </dd>
            <dt>{t('concern.themes')}</dt>
            <dd>
              <ThemeTags themes={concern.themes} />
            </dd>
            <dt>{t('equity.support')}</dt>
            <dd>{number(concern.supportCount)}</dd>
            {concern.conversation ? (
              <>
                <dt>{t('concern.conversation', { title: '' }).replace(/:\s*$/, '')}</dt>
                <dd>
                  <a href={href('conversations', concern.conversation.id)}>
                    <span lang="en">{concern.conversation.title}</span>
                  </a>{' '}
                  · {date(concern.conversation.heldOn)}
                </dd>
              </>
            ) : null}
          </dl>

          <section aria-labelledby="concern-initiatives" className="initiatives">
            <h3 id="concern-initiatives">{t('concern.initiatives')}</h3>
            {initiatives.length === 0 ? (
              <p className="muted">
                {missing.includes('initiatives') ? t('state.sectionMissing') : t('concern.noInitiatives')}
              </p>
            ) : null}
            <ul className="plain">
              {initiatives.map((initiative) => (
                <li key={initiative.id} className="card">
                  <h4>
                    <a href={href('initiatives', initiative.id)}>
                      <span className="code">{initiative.code}</span> <span lang="en">{initiative.title}</span>
                    </a>
                  </h4>
                  <p>
                    <StatusBadge status={initiative.status} />
                    {initiative.leadDepartment ? (
                      <span className="muted"> · {t('plan.lead', { name: initiative.leadDepartment.name })}</span>
                    ) : null}
                  </p>
                  <WhyTheyMeet rationale={rationaleOf(initiative.id)} />
                  {initiative.keyMeasures.map((measure) => (
                    <MeasureGauge key={measure.id} measure={measure} />
                  ))}
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="concern-resources" className="resources">
            <h3 id="concern-resources">{t('concern.resources')}</h3>
            {resources.length === 0 ? (
              <p className="muted">
                {missing.includes('resources') ? t('state.sectionMissing') : t('concern.noResources')}
              </p>
            ) : null}
            <ul className="plain">
              {resources.map((service) => (
                <ServiceCard key={service.id} service={service} headingLevel={4}>
                  <WhyTheyMeet rationale={rationaleOf(service.id)} />
                </ServiceCard>
              ))}
            </ul>
          </section>

          <section aria-labelledby="concern-history">
            <h3 id="concern-history">{t('concern.history')}</h3>
            {answered ? null : <p className="muted">{t('concern.noHistory')}</p>}
            {timeline.length ? (
              <ol className="timeline">
                {timeline.map(({ at, change, dispute }) =>
                  change ? (
                    <li key={change.id}>
                      <time dateTime={at}>{date(at)}</time> · <ConcernStatusBadge status={change.toStatus} />
                      <PublicNote change={change} />
                    </li>
                  ) : dispute ? (
                    <li key={dispute.id} className="dispute">
                      <time dateTime={at}>{date(at)}</time> ·{' '}
                      <span className="badge dispute-badge">{t('disputes.timelineBadge')}</span>
                      <ContentText as="blockquote" language={dispute.language}>
                        {dispute.note}
                      </ContentText>
                    </li>
                  ) : null,
                )}
              </ol>
            ) : null}
          </section>

          {concern.citywideConcern ? (
            <CitywideGroup
              key={`group-${concern.id}`}
              citywideConcernId={concern.citywideConcern.id}
              concernId={concern.id}
              current={concern.status}
              isStaff={!!session}
              onAnswered={refresh}
            />
          ) : null}

          {session ? (
            <>
              <section aria-labelledby="concern-disputes" className="staff-panel">
                <h3 id="concern-disputes">{t('disputes.pendingHeading')}</h3>
                <DisputeList
                  disputes={disputes}
                  showConcern={false}
                  onModerated={() => reexecuteDisputes({ requestPolicy: 'network-only' })}
                />
              </section>
              <AnswerPanel key={concern.id} concernId={concern.id} current={concern.status} onAnswered={refresh} />
              <AlignPanel key={`align-${concern.id}`} concernId={concern.id} onAligned={refresh} />
            </>
          ) : null}
        </article>
      ) : null}
    </QueryState>
  );
}

function WhyTheyMeet({ rationale }: { rationale: string | undefined }) {
  const { t } = useI18n();
  return rationale ? <p className="rationale">{t('concern.whyTheyMeet', { rationale })}</p> : null;
}

interface NoteInReaderLanguage {
  note: string | null;
  noteMachineTranslated: boolean;
  original: string | null;
  originalLanguage: string | null;
}

/** The city's note in the reader's language when there is a version in it; a machine translation is labelled, with the original. */
function PublicNote({ change }: { change: NoteInReaderLanguage }) {
  const { t, locale, language } = useI18n();
  if (!change.note) return null;
  const written = change.originalLanguage ?? 'en';
  const translated = change.note !== change.original || change.noteMachineTranslated;
  if (!translated) return <ContentText language={written}>{change.note}</ContentText>;
  return (
    <>
      <p lang={locale}>{change.note}</p>
      {change.noteMachineTranslated ? (
        <p className="muted machine-translation">
          <span className="badge">{t('concern.machineTranslation')}</span>{' '}
          {t('concern.original', { language: language(written) })} <span lang={written}>{change.original}</span>
        </p>
      ) : null}
    </>
  );
}
