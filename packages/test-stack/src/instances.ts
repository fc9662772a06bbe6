import { randomBytes } from 'node:crypto';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, prepareTestTarget, removeTarget } from '@civic/db/testing';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import { entries, freePort, launch, type ManagedProcess, stopProcess, waitReady } from './processes.ts';

export type ServiceName = SubgraphName | 'gateway';
export const SERVICES: readonly ServiceName[] = [...SUBGRAPHS, 'gateway'];

export interface InstancesOptions {
  /** Processes of each service (default 2). */
  count?: number;
  production?: boolean;
  seed?: 'demo' | 'reference' | 'none';
  /** Extra environment for every process. */
  env?: NodeJS.ProcessEnv;
  /** Extra environment for the gateways only (REDIS_URL, limits, TRUST_PROXY, RESPONSE_CACHE). */
  gatewayEnv?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /**
   * Starts the load balancer in front of the instances' loopback ports (known before any instance
   * starts) and returns each service's front base URL (`http://host:port`, no path). Every process
   * reaches the others only through these fronts.
   */
  balance(ports: Record<ServiceName, number[]>): Promise<Record<ServiceName, string>>;
}

export interface Instance {
  service: ServiceName;
  /** `<service>-<index>`, as the load balancer may name it. */
  name: string;
  port: number;
  /** `http://127.0.0.1:<port>`: the instance itself, past the load balancer. */
  base: string;
  env: NodeJS.ProcessEnv;
  proc: ManagedProcess;
}

export interface Instances {
  fronts: Record<ServiceName, string>;
  secret: string;
  jwtSecret: string;
  /** One database per subgraph (and one for the gateways), shared by that service's instances. */
  targets: Record<ServiceName, DatabaseTarget>;
  of(service: ServiceName): Instance[];
  all(): Instance[];
  /** Starts an instance again (after a kill) with its environment and port. */
  restart(instance: Instance): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Starts `count` processes of each subgraph and of the gateway from their built `dist/`, each
 * subgraph's instances on one shared PostgreSQL database (two processes cannot share a PGlite
 * folder), behind the caller's load balancer. The first instance of each service migrates and
 * seeds its database before the others start.
 */
export async function startInstances(options: InstancesOptions): Promise<Instances> {
  if (!process.env.DATABASE_URL) {
    throw new Error('startInstances needs PostgreSQL (DATABASE_URL): processes cannot share a PGlite folder');
  }
  const count = options.count ?? 2;
  const secret = randomBytes(32).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const ports = Object.fromEntries(
    await Promise.all(
      SERVICES.map(async (s) => [s, await Promise.all(Array.from({ length: count }, () => freePort()))] as const),
    ),
  ) as Record<ServiceName, number[]>;
  const targets = Object.fromEntries(SERVICES.map((s) => [s, newTestTarget(s)])) as Record<ServiceName, DatabaseTarget>;
  await Promise.all(SERVICES.map((s) => prepareTestTarget(targets[s])));
  const started: Instance[] = [];
  const instances: Instances = {
    fronts: {} as Record<ServiceName, string>,
    secret,
    jwtSecret,
    targets,
    of: (service) => started.filter((i) => i.service === service),
    all: () => [...started],
    async restart(instance) {
      instance.proc = launch(instance.name, entryOf(instance.service), instance.env);
      await waitReady(`${instance.base}/ready`, instance.proc, options.readyTimeoutMs);
    },
    async stop() {
      await Promise.all(started.map((i) => stopProcess(i.proc)));
    },
    async destroy() {
      await instances.stop();
      await Promise.all(SERVICES.map((s) => removeTarget(targets[s]).catch(() => {})));
    },
  };
  try {
    const fronts = await options.balance(ports);
    instances.fronts = fronts;
    const common: NodeJS.ProcessEnv = {
      NODE_ENV: options.production ? 'production' : 'development',
      CIVIC_GATEWAY_URL: `${fronts.gateway}/graphql`,
      ENGAGEMENT_URL: `${fronts.engagement}/graphql`,
      CIVIC_GATEWAY_SECRET: secret,
      CIVIC_JWT_SECRET: jwtSecret,
      CIVIC_SEED: options.seed ?? 'demo',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...options.env,
    };
    const envOf = (service: ServiceName, port: number): NodeJS.ProcessEnv => {
      const target = targets[service];
      const url = target.kind === 'postgres' ? target.url : '';
      if (service === 'gateway') {
        return {
          ...common,
          GATEWAY_PORT: String(port),
          GATEWAY_HOST: '127.0.0.1',
          INITIATIVES_URL: `${fronts.initiatives}/graphql`,
          RESOURCES_URL: `${fronts.resources}/graphql`,
          GATEWAY_DATABASE_URL: url,
          RESPONSE_CACHE: 'off',
          ...options.gatewayEnv,
        };
      }
      const upper = service.toUpperCase();
      return {
        ...common,
        [`${upper}_PORT`]: String(port),
        [`${upper}_HOST`]: '127.0.0.1',
        [`${upper}_DATABASE_URL`]: url,
      };
    };
    const start = async (service: ServiceName, index: number) => {
      const port = ports[service][index] as number;
      const env = envOf(service, port);
      const name = `${service}-${index}`;
      const instance: Instance = {
        service,
        name,
        port,
        base: `http://127.0.0.1:${port}`,
        env,
        proc: launch(name, entryOf(service), env),
      };
      started.push(instance);
      await waitReady(`${instance.base}/ready`, instance.proc, options.readyTimeoutMs);
    };
    const rest = Array.from({ length: count - 1 }, (_, i) => i + 1);
    // Migrations and seeds run once per database: the first instances first, then the others
    // beside the first gateway, then the other gateways.
    await Promise.all(SUBGRAPHS.map((s) => start(s, 0)));
    await Promise.all([start('gateway', 0), ...SUBGRAPHS.flatMap((s) => rest.map((i) => start(s, i)))]);
    await Promise.all(rest.map((i) => start('gateway', i)));
  } catch (error) {
    await instances.destroy();
    throw error;
  }
  return instances;
}

function entryOf(service: ServiceName): string {
  return service === 'gateway' ? entries.gateway : entries.subgraph(service);
}
