import { GatewayError, GatewayUnreachable } from './gateway-client.ts';
import { graphql, type ResultOf } from './graphql.ts';

/** What the engagement subgraph answers for each imported conversation. */
export const ConversationImportFields = graphql(`
  fragment ConversationImportFields on ConversationImport {
    externalId
    title
    outcome
    concerns
    concernsCreated
    concernsUpdated
    publicConcerns
    published
    conversation {
      id
      updatedAt
    }
  }
`);

export type ConversationImport = ResultOf<typeof ConversationImportFields>;

/** One line per conversation, saying what the import did. */
export function describeImport(r: ConversationImport, dryRun = false): string {
  const would = dryRun ? 'would be ' : '';
  if (r.outcome === 'UNCHANGED') return `"${r.title}" is already imported and unchanged`;
  if (r.outcome === 'UPDATED') {
    return `"${r.title}" ${would}updated: ${r.concernsCreated} new concerns, ${r.concernsUpdated} changed${r.published ? `, ${r.publicConcerns} public` : ' (draft)'}`;
  }
  return `"${r.title}" ${would}imported: ${r.concerns} concerns, ${r.published ? `${r.publicConcerns} public` : 'as a draft'}`;
}

/**
 * A refused import as one line (the file, row and column come from the subgraph), then the other
 * problems it listed, indented. `prefix` names the export folder when there are several.
 */
export function importFailure(command: string, error: unknown, prefix = ''): number {
  if (error instanceof GatewayError) {
    const first = error.errors[0];
    const problems = (first?.extensions?.problems ?? []) as { field: string; message: string }[];
    const code = first?.extensions?.code;
    const note = code && code !== 'BAD_USER_INPUT' ? ` [${code}]` : '';
    console.error(`civic ${command}: ${prefix}${first?.message ?? error.message}${note}`);
    for (const p of problems.slice(1, 20)) console.error(`  ${prefix}${p.field}: ${p.message}`);
    if (problems.length > 20) console.error(`  … and ${problems.length - 20} more`);
    return 1;
  }
  if (error instanceof GatewayUnreachable) {
    console.error(`civic ${command}: ${error.message}`);
    return 1;
  }
  console.error(`civic ${command}: ${prefix}${(error as Error).message}`);
  return 1;
}

export function usageError(command: string, message: string): number {
  console.error(`civic ${command}: ${message}\nRun npm run civic -- ${command} --help for usage.`);
  return 2;
}
