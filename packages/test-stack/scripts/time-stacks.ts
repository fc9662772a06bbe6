// Starts and destroys stacks one after another and prints how long each took to become ready:
//   tsx packages/test-stack/scripts/time-stacks.ts [count] [production]
// DATABASE_URL set → PostgreSQL. The cache is used as in a test run unless CIVIC_TEST_STACK_CACHE=0.
import { startStack } from '../src/stack.ts';

const count = Number(process.argv[2] ?? 2);
const production = process.argv[3] === 'production';
for (let i = 0; i < count; i++) {
  const started = performance.now();
  const stack = await startStack({ production, readyTimeoutMs: 300_000 });
  const ready = performance.now();
  await stack.destroy();
  console.log(`stack ${i + 1}: ready in ${((ready - started) / 1000).toFixed(1)} s`);
}
