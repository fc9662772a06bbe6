import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const UNAVAILABLE = /The (\w+) service is unavailable/;

/** Names of the subgraphs the gateway reported as down (errors with code SERVICE_UNAVAILABLE). */
export function unavailableServices(error: CombinedError | undefined): string[] {
  const names = new Set<string>();
  for (const e of error?.graphQLErrors ?? []) {
    if (e.extensions?.code !== 'SERVICE_UNAVAILABLE') continue;
    names.add(UNAVAILABLE.exec(e.message)?.[1] ?? 'unknown');
  }
  return [...names];
}

interface Props {
  fetching: boolean;
  error: CombinedError | undefined;
  hasData: boolean;
  /** Services already known to be down (left out of a retried query), named in the notice too. */
  alsoMissing?: readonly string[];
  children: ReactNode;
}

/**
 * Loading, error and partial-data states in one place: with data, it renders the data and,
 * when some subgraph was down, a notice naming what is missing.
 */
// Without data and without an error a query is (re)loading, even between fetches after a cache invalidation.
export function QueryState({ error, hasData, alsoMissing = [], children }: Props) {
  const { t } = useI18n();
  if (!hasData && !error) return <p role="status">{t('state.loading')}</p>;
  if (!hasData && error) {
    return (
      <p role="alert" className="error">
        {t('state.error', { message: error.graphQLErrors[0]?.message ?? error.message })}
      </p>
    );
  }
  const missing = [...new Set([...unavailableServices(error), ...alsoMissing])];
  return (
    <>
      {missing.length > 0 ? (
        <p role="status" className="notice">
          {t('state.partial', {
            services: missing
              .map((name) =>
                ['engagement', 'initiatives', 'resources'].includes(name) ? t(`service.${name}` as MessageKey) : name,
              )
              .join(', '),
          })}
        </p>
      ) : null}
      {children}
    </>
  );
}
