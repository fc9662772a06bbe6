import { ConcernStatusBadge } from '../components/ConcernStatusBadge.tsx';
import { ContentText } from '../components/ContentText.tsx';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

/** A concern with the city's answer, as neighborhood and conversation pages list them. */
export const ConversationConcernItemFragment = graphql(`
  fragment ConversationConcernItem_Concern on Concern {
    id
    summary
    language
    themes
    status
    supportCount
    createdAt
    cityResponse
    neighborhood {
      id
      name
      nameEs
    }
    conversation {
      id
      title
      heldOn
    }
    initiatives {
      id
      code
      title
    }
  }
`);

export function ConversationConcernItem({
  concern: data,
  show,
}: {
  concern: FragmentOf<typeof ConversationConcernItemFragment>;
  /** What to name beside the concern: where it was heard, or its neighborhood. */
  show: 'conversation' | 'neighborhood';
}) {
  const { t, plural, date, locale } = useI18n();
  const concern = readFragment(ConversationConcernItemFragment, data);
  const place =
    show === 'conversation' && concern.conversation ? (
      <>
        {t('heard.at')}:{' '}
        <a href={href('conversations', concern.conversation.id)}>
          <span lang="en">{concern.conversation.title}</span>
        </a>{' '}
        · {date(concern.conversation.heldOn)}
      </>
    ) : show === 'neighborhood' ? (
      concern.neighborhood ? (
        <a href={href('neighborhoods', concern.neighborhood.id)}>
          {locale === 'es' ? concern.neighborhood.nameEs : concern.neighborhood.name}
        </a>
      ) : (
        t('concern.citywide')
      )
    ) : null;
  return (
    <li className="card concern-item">
      <ContentText as="h4" language={concern.language}>
        <a href={href('concerns', concern.id)}>{concern.summary}</a>
      </ContentText>
      <p>
        <ConcernStatusBadge status={concern.status} />{' '}
        <span className="muted">
          {plural('concerns.support', concern.supportCount)} ·{' '}
          {t('concerns.recorded', { date: date(concern.createdAt) })}
          {place ? <> · {place}</> : null}
        </span>
      </p>
      <ThemeTags themes={concern.themes} />
      <div className="answer">
        <strong>{t('answer.city')}:</strong>{' '}
        {concern.cityResponse ? concern.cityResponse : <span className="muted">{t('answer.none')}</span>}
      </div>
      {concern.initiatives?.length ? (
        <ul className="plain">
          {concern.initiatives.map((initiative) => (
            <li key={initiative.id}>
              <a href={href('initiatives', initiative.id)}>
                {initiative.code} <span lang="en">{initiative.title}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
