/**
 * Batches of subgraph operations: the gateway posts a JSON array of GraphQL requests that one query plan
 * sends a subgraph at the same moment, and the subgraph answers with a JSON array of their answers in
 * the same order, one answer per line. JSON.stringify never writes a raw line break, so the gateway
 * splits the answer into each operation's JSON text without parsing it (it parses each answer once, as
 * it does an unbatched one), and any JSON reader can still read the whole.
 */
export const MAX_BATCH_OPERATIONS = 16;

export function joinBatchAnswers(answers: readonly string[]): string {
  return `[\n${answers.map((a) => a.trimEnd()).join(',\n')}\n]\n`;
}

/** Each operation's answer, or undefined when the text is not a batch answer of `count` operations. */
export function splitBatchAnswer(text: string, count: number): string[] | undefined {
  if (!text.startsWith('[\n')) return undefined;
  const end = text.endsWith('\n]\n') ? text.length - 3 : text.endsWith('\n]') ? text.length - 2 : -1;
  if (end < 2) return undefined;
  const answers = text.slice(2, end).split(',\n');
  return answers.length === count && answers.every((a) => a.startsWith('{') && a.endsWith('}')) ? answers : undefined;
}
