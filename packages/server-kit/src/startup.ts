import { DatabaseSetupError, MigrationError } from '@civic/db/errors';
import { EnvError } from './env.ts';
import { StartupError } from './http.ts';

/** Prints a setup problem as one line an operator can act on (a stack only for the unexpected) and exits. */
export function exitWithSetupError(service: string, error: unknown): never {
  if (error instanceof DatabaseSetupError) {
    console.error(`${service}: ${error.line}`);
  } else if (error instanceof MigrationError || error instanceof StartupError || error instanceof EnvError) {
    console.error(`${service}: ${error.message}`);
  } else {
    console.error(`${service}: failed to start:`, error);
  }
  process.exit(1);
}
