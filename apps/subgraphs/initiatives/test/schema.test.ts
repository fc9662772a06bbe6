import { readFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';

describe('the printed schema', () => {
  it('matches the committed contract (run `tsx scripts/print-schema.ts` after a change)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSchema(schema)).toBe(committed);
  });
});
