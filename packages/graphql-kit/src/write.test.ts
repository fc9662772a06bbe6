import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inTransaction, parseInput } from './write.ts';

function thrown(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected a throw');
}

describe('parseInput', () => {
  const schema = z.object({ title: z.string().min(3), tags: z.array(z.string().max(2)) });

  it('returns the parsed value', () => {
    expect(parseInput(schema, { title: 'abc', tags: ['x'] })).toEqual({ title: 'abc', tags: ['x'] });
  });

  it('throws BAD_USER_INPUT listing every problem under the prefix', () => {
    const error = thrown(() => parseInput(schema, { title: 'a', tags: ['ok', 'long'] }, 'concern'));
    expect(error.message).toBe('The input is not valid');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect((error.extensions.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'concern.title',
      'concern.tags.1',
    ]);
  });

  it('names fields as property paths without a prefix, under the message given', () => {
    const error = thrown(() =>
      parseInput(schema, { title: 'a', tags: ['ok', 'long'] }, null, 'The service is not valid'),
    );
    expect(error.message).toBe('The service is not valid');
    expect((error.extensions.problems as { field: string }[]).map((p) => p.field)).toEqual(['title', 'tags[1]']);
  });
});

describe('inTransaction', () => {
  const tx = { name: 'tx' };

  it('runs the work in one transaction with a 60 s timeout', async () => {
    const calls: unknown[] = [];
    const prisma = {
      $transaction: async <R>(work: (t: typeof tx) => Promise<R>, options?: { timeout?: number }) => {
        calls.push(options);
        return work(tx);
      },
    };
    await expect(inTransaction(prisma, async (t) => t.name)).resolves.toBe('tx');
    expect(calls).toEqual([{ timeout: 60_000 }]);
  });

  it('turns a unique violation into CONFLICT and passes other errors through', async () => {
    const failing = (error: unknown) => ({
      $transaction: async <R>(_work: (t: typeof tx) => Promise<R>): Promise<R> => {
        throw error;
      },
    });
    await expect(inTransaction(failing({ code: 'P2002' }), async () => 1, 'Already there')).rejects.toMatchObject({
      message: 'Already there',
      extensions: { code: 'CONFLICT' },
    });
    await expect(inTransaction(failing({ code: 'P2002' }), async () => 1)).rejects.toThrow(
      'This was already submitted',
    );
    const other = new Error('boom');
    await expect(inTransaction(failing(other), async () => 1)).rejects.toBe(other);
  });
});
