import { useMutation } from 'urql';
import { ContentText } from '../components/ContentText.tsx';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

const ModerateDisputeMutation = graphql(`
  mutation DisputeList_Moderate($disputeId: ID!, $moderation: ModerationState!) {
    moderateDispute(disputeId: $disputeId, moderation: $moderation) {
      id
      moderation
    }
  }
`);

export interface PendingDispute {
  id: string;
  note: string;
  language: string;
  moderation: string;
  createdAt: string;
  concern?: { id: string; summary: string; language: string } | null;
}

/**
 * Staff: residents' "not fixed" notes waiting for a decision. Accepting makes the note public on the
 * concern's timeline; rejecting keeps it hidden. The concern already went back to Under review.
 */
export function DisputeList({
  disputes,
  showConcern,
  onModerated,
}: {
  disputes: readonly PendingDispute[];
  showConcern: boolean;
  onModerated?(): void;
}) {
  const { t, date } = useI18n();
  const [result, moderate] = useMutation(ModerateDisputeMutation);
  const decide = async (disputeId: string, moderation: 'ACCEPTED' | 'REJECTED') => {
    const outcome = await moderate({ disputeId, moderation });
    if (!outcome.error) onModerated?.();
  };
  const pending = disputes.filter((d) => d.moderation === 'PENDING');
  if (pending.length === 0) return <p className="muted">{t('disputes.none')}</p>;
  return (
    <>
      {result.error ? (
        <p role="alert" className="error">
          {t('disputes.error', { message: result.error.graphQLErrors[0]?.message ?? result.error.message })}
        </p>
      ) : null}
      <ul className="plain disputes">
        {pending.map((dispute) => (
          <li key={dispute.id} className="card dispute">
            {showConcern && dispute.concern ? (
              <p>
                <a href={href('concerns', dispute.concern.id)} lang={dispute.concern.language}>
                  {dispute.concern.summary}
                </a>
              </p>
            ) : null}
            <p className="muted">{t('disputes.filed', { date: date(dispute.createdAt) })}</p>
            <ContentText as="blockquote" language={dispute.language}>
              {dispute.note}
            </ContentText>
            <button
              type="button"
              disabled={result.fetching}
              aria-label={t('disputes.acceptLabel', { note: dispute.note })}
              onClick={() => void decide(dispute.id, 'ACCEPTED')}
            >
              {t('disputes.accept')}
            </button>{' '}
            <button
              type="button"
              disabled={result.fetching}
              aria-label={t('disputes.rejectLabel', { note: dispute.note })}
              onClick={() => void decide(dispute.id, 'REJECTED')}
            >
              {t('disputes.reject')}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
