import { exitWithSetupError } from '@civic/server-kit/startup';
import { readGatewayEnv } from './env.ts';
import { type RunningGateway, startGateway } from './server.ts';

let running: RunningGateway;
try {
  running = await startGateway(readGatewayEnv());
} catch (error) {
  exitWithSetupError('gateway', error);
}
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void running.stop().finally(() => process.exit(0));
  });
}
