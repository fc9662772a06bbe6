import { createWriteStream, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CivicGraphError, createCivicClient } from '@civic/client';
import { PublishedConcerns, publishedConcernsPage } from '@civic/client/operations';
import { toCsvRow } from './csv.ts';
import { COLUMNS, concernRow } from './rows.ts';

const USAGE = `Exports the published concerns of one council ward to CSV (RFC 4180).

Usage: tsx src/main.ts --ward <n> [--out <file>] [--api <url>] [--api-key <key>] [--page-size <n>]

  --ward <n>        council ward number (required)
  --out <file>      where to write the CSV (default: standard output)
  --api <url>       the gateway's GraphQL endpoint (env CIVIC_API_URL, default http://localhost:4000/graphql)
  --api-key <key>   a partner API key (env CIVIC_API_KEY; optional, published concerns are public)
  --page-size <n>   concerns per request, 1–100 (default 100)
  -h, --help        show this help`;

function fail(message: string, code: 1 | 2): never {
  process.stderr.write(`ward-concerns-csv: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        ward: { type: 'string' },
        out: { type: 'string' },
        api: { type: 'string' },
        'api-key': { type: 'string' },
        'page-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const ward = Number(values.ward);
  if (values.ward === undefined || !Number.isInteger(ward) || ward < 1) fail('--ward must be a ward number', 2);
  const pageSize = values['page-size'] === undefined ? 100 : Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) fail('--page-size must be 1–100', 2);

  const url = (values.api as string | undefined) || process.env.CIVIC_API_URL || 'http://localhost:4000/graphql';
  const client = createCivicClient({
    url,
    apiKey: (values['api-key'] as string | undefined) || process.env.CIVIC_API_KEY || undefined,
  });

  const out = typeof values.out === 'string' ? createWriteStream(values.out) : process.stdout;
  const write = (line: string) =>
    new Promise<void>((resolve, reject) => out.write(line, (error) => (error ? reject(error) : resolve())));

  let count = 0;
  try {
    await write(toCsvRow(COLUMNS));
    const concerns = client.paginate(
      PublishedConcerns,
      { filter: { ward }, orderBy: 'NEWEST', first: pageSize, after: null },
      publishedConcernsPage,
    );
    for await (const concern of concerns) {
      await write(toCsvRow(concernRow(concern)));
      count++;
    }
  } catch (error) {
    // A half-written file would look like a complete export.
    if (out !== process.stdout) rmSync(values.out as string, { force: true });
    if (error instanceof CivicGraphError) fail(`${error.message}${error.code ? ` (${error.code})` : ''}`, 1);
    const { cause: reason } = error as Error & { cause?: { code?: string; message?: string } };
    const cause = reason?.code ?? reason?.message;
    fail(`cannot reach ${url}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`, 1);
  }
  if (out !== process.stdout) {
    await new Promise<void>((resolve) => out.end(resolve));
    process.stderr.write(`${count} concerns of ward ${ward} written to ${values.out}\n`);
  }
}

await main();
