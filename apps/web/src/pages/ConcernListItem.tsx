import { ConcernStatusBadge } from '../components/ConcernStatusBadge.tsx';
import { ContentText } from '../components/ContentText.tsx';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

export const ConcernListItemFragment = graphql(`
  fragment ConcernListItem_Concern on Concern {
    id
    summary
    language
    themes
    status
    supportCount
    createdAt
    ward
    neighborhood {
      id
      name
      equityPriority
    }
  }
`);

export function ConcernListItem({ concern: data }: { concern: FragmentOf<typeof ConcernListItemFragment> }) {
  const { t, plural, date } = useI18n();
  const concern = readFragment(ConcernListItemFragment, data);
  return (
    <li className="card concern-item">
      <ContentText as="h3" language={concern.language}>
        <a href={href('concerns', concern.id)}>{concern.summary}</a>
      </ContentText>
      <p>
        <ConcernStatusBadge status={concern.status} />{' '}
        <span className="muted">
          {concern.neighborhood ? concern.neighborhood.name : t('concern.citywide')}
          {concern.ward ? ` · ${t('map.ward', { number: concern.ward })}` : ''}
          {concern.neighborhood?.equityPriority ? ` · ${t('concern.equityPriority')}` : ''}
          {` · ${plural('concerns.support', concern.supportCount)}`}
          {` · ${t('concerns.recorded', { date: date(concern.createdAt) })}`}
        </span>
      </p>
      <ThemeTags themes={concern.themes} />
    </li>
  );
}
