import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv } from './env.ts';
import { paths } from './paths.ts';
import { loadDevSecrets } from './secrets.ts';

/**
 * The key development tokens are signed with: CIVIC_JWT_SECRET when given, otherwise (outside
 * production only) the generated .data/dev-secrets.json that `civic up` hands the gateway.
 */
export function devJwtSecret(): { secret: string } | { error: string } {
  const env = cliEnv();
  if (env.jwtSecret) return { secret: env.jwtSecret };
  if (env.production) {
    return {
      error:
        'refusing to sign a token in production without an explicit key: set CIVIC_JWT_SECRET (staff sign in through the city identity provider)',
    };
  }
  const file = join(paths.dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const secrets = JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret?: string };
    if (secrets.jwtSecret) return { secret: secrets.jwtSecret };
  }
  return { secret: loadDevSecrets(paths.dataDir).secrets.jwtSecret };
}
