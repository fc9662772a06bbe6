import { parseArgs } from 'node:util';
import { MAX_TOKEN_LIFETIME_SECONDS, mintToken } from '@civic/auth/jwt';
import { DEPARTMENTS, departmentByIdentifier } from '@civic/reference-data/departments';
import { devJwtSecret } from '../dev-jwt.ts';

export const tokenHelp = `civic token — print a development sign-in token (JWT) for STAFF or ADMIN

Usage: npm run civic -- token --role STAFF --department <id|slug|HSDS id> [--name <text>] [--subject <id>] [--ttl 8h]
       npm run civic -- token --role ADMIN [--name <text>] [--subject <id>] [--ttl 8h]

--ttl is at most 24h: the gateway refuses tokens without an expiry or living longer (JWT_MAX_LIFETIME_SECONDS).
Signs an HS256 token (issuer civic-graph-dev, audience civic-graph) with CIVIC_JWT_SECRET, or with
the development key in .data/dev-secrets.json that npm start gives the gateway. Send it as
"Authorization: Bearer <token>". In production (NODE_ENV=production) it refuses unless
CIVIC_JWT_SECRET is set explicitly; real staff sign in through the city's identity provider.
Partners do not use tokens: they get an API key (npm run civic -- api-key create).

Departments (id, slug, and any organization ids in the published HSDS directory):
${DEPARTMENTS.map((d) => `  ${[d.id, d.slug, ...d.hsdsIds].join('  ')}`).join('\n')}

Exit codes: 0 token printed, 1 no signing key, 2 wrong usage.`;

const TTL = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

export async function token(args: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        role: { type: 'string' },
        department: { type: 'string' },
        organization: { type: 'string' },
        name: { type: 'string' },
        subject: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    return usage((error as Error).message);
  }
  const role = values.role?.toUpperCase();
  if (role === 'PARTNER') {
    return usage(
      'partners use API keys, not tokens: npm run civic -- api-key create --organization <id> --label <text>',
    );
  }
  if (role === 'PUBLIC') return usage('PUBLIC needs no token: send requests without credentials');
  if (role !== 'STAFF' && role !== 'ADMIN') return usage('--role must be STAFF or ADMIN');
  if (values.organization) return usage('--organization is for API keys; STAFF tokens take --department');
  let department: string | undefined;
  if (role === 'STAFF') {
    if (!values.department) return usage('a STAFF token needs --department <id|slug>');
    const found = departmentByIdentifier(values.department);
    if (!found) return usage(`unknown department "${values.department}" (see --help for the list)`);
    department = found.id;
  } else if (values.department) {
    return usage('--department is for STAFF tokens');
  }
  const ttl = values.ttl ?? '8h';
  const parts = TTL.exec(ttl);
  if (!parts) return usage('--ttl must look like 30m, 8h or 1d');
  if (Number(parts[1]) * (UNIT_SECONDS[parts[2] as string] ?? 0) > MAX_TOKEN_LIFETIME_SECONDS) {
    return usage('--ttl must be at most 24h (the gateway refuses longer-lived tokens)');
  }
  const key = devJwtSecret();
  if ('error' in key) {
    console.error(`civic token: ${key.error}`);
    return 1;
  }
  const subject = values.subject ?? `dev-${role.toLowerCase()}${department ? `-${department.slice(0, 8)}` : ''}`;
  console.log(await mintToken(key.secret, { sub: subject, role, department, name: values.name }, { ttl }));
  return 0;
}

function usage(message: string): number {
  console.error(`civic token: ${message}\nRun npm run civic -- token --help for usage.`);
  return 2;
}
