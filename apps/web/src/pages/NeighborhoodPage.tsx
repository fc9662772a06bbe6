import { NeighborhoodMap } from '../components/NeighborhoodMap.tsx';
import { PlanText, planField } from '../components/PlanText.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { WhenVisible } from '../components/WhenVisible.tsx';
import { readFragment } from '../graphql.ts';
import { type I18n, useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { href } from '../router.ts';
import { ConversationConcernItem, ConversationConcernItemFragment } from './ConversationConcernItem.tsx';
import { NeighborhoodPageQuery, ReachesItQuery } from './neighborhood-queries.ts';
import { type ContentField, DirectoryText } from './ServiceCard.tsx';

type Unit = 'SHARE' | 'USD' | 'PEOPLE' | 'PERCENTILE';

/** A published figure in its unit: shares and percentiles as percentages, dollars, people. */
export function formatIndicator(i18n: I18n, unit: Unit, value: number): string {
  switch (unit) {
    case 'SHARE':
      return i18n.number(value, { style: 'percent', maximumFractionDigits: 1 });
    case 'PERCENTILE':
      return i18n.number(value, { maximumFractionDigits: 2 });
    case 'USD':
      return i18n.number(value, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
    default:
      return i18n.number(value, { maximumFractionDigits: 0 });
  }
}

export function indicatorName(t: I18n['t'], key: string): string {
  const messageKey = `indicator.${key}` as MessageKey;
  const name = t(messageKey);
  return name === undefined ? key : name;
}

/** A service's name in the reader's language (the name as entered until the directory answers in it). */
function serviceName(service: { name: string; content: readonly ContentField[] }): ContentField {
  return (
    service.content.find((c) => c.field === 'name') ?? {
      field: 'name',
      text: service.name,
      language: 'en',
      machineTranslated: false,
    }
  );
}

/** A neighborhood: its concerns and the city's answers, what reaches it, its figures, where it is. */
export function NeighborhoodPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, locale, date } = i18n;
  const [{ data, fetching, error }] = useDeferredQuery({ query: NeighborhoodPageQuery, variables: { id } });
  const [reaches] = useDeferredQuery({ query: ReachesItQuery, variables: { id, language: locale } });
  const neighborhood = data?.neighborhood;
  const name = neighborhood ? (locale === 'es' ? neighborhood.nameEs : neighborhood.name) : null;
  useDocumentTitle(name ?? (data ? t('neighborhood.notFound') : null));
  const concerns = data?.concerns.edges.map((e) => e.node) ?? [];
  const initiatives = new Map<string, { id: string; code: string; title: string }>();
  for (const concern of concerns) {
    const { initiatives: aligned } = readFragment(ConversationConcernItemFragment, concern);
    for (const initiative of aligned ?? []) initiatives.set(initiative.id, initiative);
  }
  const titleOf = (initiativeId: string) =>
    planField(reaches.data?.initiatives.find((i) => i.id === initiativeId)?.content, 'title');
  const services = reaches.data?.services;
  const figures = neighborhood?.indicators ?? [];
  const hasFigures = figures.some((f) => f.value !== null);
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data}>
      {data && !neighborhood ? (
        <section aria-labelledby="neighborhood-heading">
          <h2 id="neighborhood-heading">{t('neighborhood.notFound')}</h2>
          <p>
            <a href={href('neighborhoods')}>{t('neighborhoods.heading')}</a>
          </p>
        </section>
      ) : null}
      {neighborhood && name ? (
        <article aria-labelledby="neighborhood-heading" className="place-page">
          <p>
            <a href={href('neighborhoods')}>{t('neighborhoods.heading')}</a>
          </p>
          <h2 id="neighborhood-heading">{name}</h2>
          <dl className="facts" aria-label={t('neighborhood.facts', { name })}>
            <dt>{t('neighborhood.ward')}</dt>
            <dd>{neighborhood.ward ? t('map.ward', { number: neighborhood.ward }) : t('neighborhoods.outside')}</dd>
            {neighborhood.wards.length > 1 ? (
              <>
                <dt>{t('neighborhood.wards')}</dt>
                <dd>
                  {neighborhood.wards
                    .filter((w) => w !== neighborhood.ward)
                    .map((w) => t('map.ward', { number: w }))
                    .join(', ')}
                </dd>
              </>
            ) : null}
            {neighborhood.schoolZone ? (
              <>
                <dt>{t('neighborhood.schoolZone')}</dt>
                <dd>
                  {locale === 'es' ? (neighborhood.schoolZoneEs ?? neighborhood.schoolZone) : neighborhood.schoolZone}
                </dd>
              </>
            ) : null}
            <dt>{t('neighborhood.priority')}</dt>
            <dd>
              {neighborhood.equityPriority ? t('neighborhoods.yes') : t('neighborhoods.no')}
              {neighborhood.equityPriorityReasons.length > 0
                ? ` · ${t('neighborhood.priorityWhy', {
                    reasons: neighborhood.equityPriorityReasons
                      .flatMap((reason) =>
                        reason.conditions.map((c) => {
                          const unit = figures.find((f) => f.key === c.indicator)?.unit ?? 'SHARE';
                          const sign = c.comparison === 'AT_LEAST' ? '≥' : '≤';
                          return `${indicatorName(t, c.indicator)} ${formatIndicator(i18n, unit, c.value)} (${sign} ${formatIndicator(i18n, unit, c.threshold)})`;
                        }),
                      )
                      .join('; '),
                  })}`
                : ''}
            </dd>
          </dl>

          <section aria-labelledby="neighborhood-concerns">
            <h3 id="neighborhood-concerns">{t('neighborhood.concerns')}</h3>
            <p className="count">{i18n.plural('concerns.count', data.concerns.totalCount)}</p>
            {concerns.length === 0 ? <p className="muted">{t('neighborhood.noConcerns')}</p> : null}
            <ul className="concern-list">
              {concerns.map((concern) => (
                <ConversationConcernItem key={concern.id} concern={concern} show="conversation" />
              ))}
            </ul>
            {data.concerns.totalCount > concerns.length ? (
              <p>
                <a href={`#/concerns?neighborhood=${encodeURIComponent(neighborhood.id)}`}>
                  {t('neighborhood.allConcerns', { name })}
                </a>
              </p>
            ) : null}
          </section>

          <section aria-labelledby="neighborhood-initiatives">
            <h3 id="neighborhood-initiatives">{t('neighborhood.initiatives')}</h3>
            <p className="muted">{t('neighborhood.initiativesHelp')}</p>
            {initiatives.size === 0 ? (
              <p>{t('neighborhood.noInitiatives')}</p>
            ) : (
              <ul className="place-list">
                {[...initiatives.values()]
                  .sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }))
                  .map((initiative) => (
                    <li key={initiative.id}>
                      <a href={href('initiatives', initiative.id)}>
                        {initiative.code}{' '}
                        <PlanText as="span" item={titleOf(initiative.id)} fallback={initiative.title} />
                      </a>
                    </li>
                  ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="neighborhood-services">
            <h3 id="neighborhood-services">{t('neighborhood.services')}</h3>
            <p className="muted">{t('neighborhood.servicesHelp')}</p>
            <QueryState fetching={reaches.fetching} error={reaches.error} hasData={!!services}>
              {services?.edges.length === 0 ? <p>{t('neighborhood.noServices')}</p> : null}
              <ul className="place-list">
                {services?.edges.map(({ node }) => (
                  <li key={node.id}>
                    <a href={href('resources', node.id)}>
                      <DirectoryText item={serviceName(node)} />
                    </a>
                    {node.organization ? (
                      <span className="muted">
                        {' '}
                        · <span lang="en">{node.organization.name}</span>
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </QueryState>
            <p>
              <a href={`#/resources?neighborhood=${encodeURIComponent(neighborhood.id)}`}>
                {t('neighborhood.allServices', { name })}
              </a>
            </p>
          </section>

          <section aria-labelledby="neighborhood-conversations">
            <h3 id="neighborhood-conversations">{t('neighborhood.conversations')}</h3>
            {data.conversations.edges.length === 0 ? (
              <p>{t('neighborhood.noConversations')}</p>
            ) : (
              <ul className="place-list">
                {data.conversations.edges.map(({ node }) => (
                  <li key={node.id}>
                    <a href={href('conversations', node.id)}>
                      <span lang="en">{node.title}</span>
                    </a>{' '}
                    <span className="muted">· {date(node.heldOn)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="neighborhood-figures">
            <h3 id="neighborhood-figures">{t('neighborhood.figures')}</h3>
            {hasFigures ? (
              <div className="table-scroll">
                <table>
                  <caption>{t('neighborhood.figuresCaption', { name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('neighborhood.figure')}</th>
                      <th scope="col">{t('neighborhood.value')}</th>
                      <th scope="col">{t('neighborhood.margin')}</th>
                      <th scope="col">{t('neighborhood.source')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {figures.map((figure) => (
                      <tr key={figure.key}>
                        <th scope="row">{indicatorName(t, figure.key)}</th>
                        <td>
                          {figure.value === null
                            ? t('neighborhood.noValue')
                            : formatIndicator(i18n, figure.unit, figure.value)}
                        </td>
                        <td>
                          {figure.marginOfError === null || figure.value === null
                            ? '—'
                            : `± ${formatIndicator(i18n, figure.unit, figure.marginOfError)}`}
                        </td>
                        <td>
                          {figure.vintage ? `${figure.vintage}, ` : ''}
                          <span lang="en">{figure.source}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="no-figures">{t('neighborhood.noFigures')}</p>
            )}
          </section>

          <section aria-labelledby="neighborhood-map">
            <h3 id="neighborhood-map">{t('neighborhood.onMap', { name })}</h3>
            <WhenVisible placeholder={<p className="muted nmap-loading">{t('nmap.loading')}</p>}>
              <NeighborhoodMap
                values={new Map()}
                label={t('neighborhood.mapLabel', { name })}
                hrefFor={(other) => href('neighborhoods', other)}
                highlight={neighborhood.id}
                equivalent={t('neighborhood.mapEquivalent')}
              />
            </WhenVisible>
          </section>
        </article>
      ) : null}
    </QueryState>
  );
}
