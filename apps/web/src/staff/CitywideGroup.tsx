import { useQuery } from 'urql';
import { ConcernStatusBadge } from '../components/ConcernStatusBadge.tsx';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { AnswerPanel } from './AnswerPanel.tsx';

/** The citywide group a concern belongs to: its own request, kept out of the concern page's cost budget. */
const CitywideGroupQuery = graphql(`
  query CitywideGroup_Citywide($id: ID!) {
   citywideConcern(id: $id) {
    id
    title
    concernCount
    concerns {
      id
      summary
      language
      status
      neighborhood {
        id
        name
      }
    }
   }
  }
`);

/**
 * The same issue heard elsewhere in the city: every member concern with its status, and for staff one
 * answer for all of them (answerCitywideConcern: each member gets its own history entry).
 */
export function CitywideGroup({
  citywideConcernId,
  concernId,
  current,
  isStaff,
  onAnswered,
}: {
  citywideConcernId: string;
  concernId: string;
  current: string;
  isStaff: boolean;
  onAnswered(): void;
}) {
  const { t, plural } = useI18n();
  const [{ data }, reexecute] = useQuery({ query: CitywideGroupQuery, variables: { id: citywideConcernId } });
  const group = data?.citywideConcern;
  if (!group) return null;
  const headingId = `citywide-${group.id}`;
  return (
    <section aria-labelledby={headingId} className="citywide-group">
      <h3 id={headingId}>
        {t('citywide.heading')}: <span lang="en">{group.title}</span>
      </h3>
      <p>{plural('citywide.members', group.concernCount)}</p>
      <ul className="plain">
        {group.concerns.map((member) => (
          <li key={member.id}>
            {member.id === concernId ? (
              <span lang={member.language} aria-current="page">
                {member.summary}
              </span>
            ) : (
              <a href={href('concerns', member.id)} lang={member.language}>
                {member.summary}
              </a>
            )}{' '}
            · {member.neighborhood ? member.neighborhood.name : t('concern.citywide')} ·{' '}
            <ConcernStatusBadge status={member.status} />
          </li>
        ))}
      </ul>
      {isStaff ? (
        <AnswerPanel
          key={`citywide-${group.id}`}
          concernId={concernId}
          citywideConcernId={group.id}
          current={current}
          onAnswered={() => {
            reexecute({ requestPolicy: 'network-only' });
            onAnswered();
          }}
        />
      ) : null}
    </section>
  );
}
