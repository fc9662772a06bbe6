import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { verifyIdentity } from '@civic/server-kit/identity';
import { nodeOptionsFor } from '@civic/server-kit/memory';
import { PORTS, SUBGRAPHS } from '@civic/server-kit/ports';
import { createGatewayRuntime, getBuiltinPluginsFromConfig } from '@graphql-hive/gateway';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { readGatewayEnv } from '../../../apps/gateway/src/env.ts';

// The deploy/ manifests, which these machines cannot run: every service has probes on its real
// readiness URL, resources sized from the benchmark file it names, secrets from Secrets, the ports
// of the repository's contract; and the Hive Gateway configuration keeps the Node gateway's limits.
const workspaceRoot = join(import.meta.dirname, '..', '..', '..');
const dir = join(workspaceRoot, 'deploy', 'kubernetes');

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
}
interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    template?: { spec: { containers: Container[]; initContainers?: Container[] } };
    ports?: { port: number; targetPort: string | number }[];
    selector?: Record<string, unknown>;
  };
}

const manifests: Manifest[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((doc) => {
      expect(doc.errors, f).toEqual([]);
      return doc.toJS() as Manifest;
    }),
  );
const find = (kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  expect(found, `${kind} ${name}`).toBeDefined();
  return found as Manifest;
};

/** Every service, its port in the contract (DESIGN.md §7; PORTS) and its readiness path. */
const SERVICES = [
  { name: 'gateway', port: PORTS.gateway, ready: '/ready', bench: 'gateway' },
  ...SUBGRAPHS.map((s) => ({ name: s, port: PORTS[s], ready: '/ready', bench: s })),
  { name: 'web', port: PORTS.web, ready: '/index.html', bench: undefined },
  { name: 'hive-gateway', port: 4100, ready: '/ready', bench: 'hive' },
];

const mebibytes = (quantity: string | undefined) => {
  const match = /^(\d+)Mi$/.exec(quantity ?? '');
  expect(match, `memory ${quantity} in Mi`).not.toBeNull();
  return Number(match?.[1]);
};
const millicores = (quantity: string | undefined) => {
  const match = /^(\d+)m$/.exec(quantity ?? '');
  expect(match, `cpu ${quantity} in millicores`).not.toBeNull();
  return Number(match?.[1]);
};

describe('deploy/kubernetes', () => {
  test.each(SERVICES)(
    '$name: a Deployment and Service on its contract port, probed where it says it is ready',
    (service) => {
      const deployment = find('Deployment', `civic-${service.name}`);
      const containers = deployment.spec.template?.spec.containers ?? [];
      expect(containers).toHaveLength(1);
      const container = containers[0] as Container;
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect(probe?.httpGet).toBeDefined();
        const port = probe?.httpGet?.port;
        expect(container.ports?.some((p) => p.name === port || p.containerPort === port)).toBe(true);
      }
      expect(container.readinessProbe?.httpGet?.path).toBe(service.ready);
      const servicePorts = find('Service', `civic-${service.name}`).spec.ports ?? [];
      expect(servicePorts.map((p) => p.port)).toEqual([service.port]);
      if (service.name !== 'web') {
        expect(container.ports?.map((p) => p.containerPort)).toEqual([service.port]);
        expect(container.env?.find((e) => e.name === 'NODE_ENV')?.value).toBe('production');
      }
      // Whatever a Node command runs exists in the repository (built into dist/ by the image).
      const entry = container.command?.find(
        (part) => /^(apps|deploy|node_modules)\//.test(part) && part !== container.command?.[0],
      );
      const program = container.command?.[0] === 'node' ? container.command[1] : entry;
      if (program?.endsWith('dist/main.js'))
        expect(existsSync(join(workspaceRoot, program.replace('dist/main.js', 'src/main.ts')))).toBe(true);
      else if (program) expect(existsSync(join(workspaceRoot, program)), program).toBe(true);
    },
  );

  test.each(SERVICES)('$name: resources for every container, sized from the named benchmark run', (service) => {
    const deployment = find('Deployment', `civic-${service.name}`);
    const spec = deployment.spec.template?.spec;
    for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      expect(container.resources?.requests?.cpu, container.name).toBeDefined();
      expect(mebibytes(container.resources?.limits?.memory)).toBeGreaterThanOrEqual(
        mebibytes(container.resources?.requests?.memory),
      );
    }
    if (!service.bench) return;
    // The rule (deploy/README.md): CPU request = the busiest c=10 run through the gateway (cache on or
    // off; Hive for Hive) in cores, rounded up to 100m; memory request = peak RSS rounded up to 64 Mi;
    // limit = 1.5 × peak RSS rounded up to 64 Mi.
    const file = deployment.metadata.annotations?.['civic-graph.org/sized-from'] ?? '';
    const results = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as {
      peakRssMb: Record<string, number>;
      runs: {
        target: string;
        concurrency: number;
        load: { durationSeconds: number };
        cpuSeconds?: Record<string, number>;
      }[];
    };
    // The benchmark's process for this service under each target it ran: the gateway ran as two
    // processes (response cache on: `gateway`, off: `gateway-nocache`).
    const processes: [target: string, process: string][] =
      service.bench === 'hive'
        ? [['hive', 'hive']]
        : service.bench === 'gateway'
          ? [
              ['gateway', 'gateway'],
              ['gateway-nocache', 'gateway-nocache'],
            ]
          : [
              ['gateway', service.bench],
              ['gateway-nocache', service.bench],
            ];
    const cores = Math.max(
      ...results.runs
        .filter((r) => r.concurrency === 10)
        .flatMap((r) =>
          processes
            .filter(([target]) => target === r.target)
            .map(([, p]) => (r.cpuSeconds?.[p] ?? 0) / r.load.durationSeconds),
        ),
    );
    const rss = Math.max(...processes.map(([, p]) => results.peakRssMb[p] ?? 0));
    const container = spec?.containers[0] as Container;
    expect({
      cpu: millicores(container.resources?.requests?.cpu),
      memory: mebibytes(container.resources?.requests?.memory),
      limit: mebibytes(container.resources?.limits?.memory),
    }).toEqual({
      cpu: Math.ceil(cores * 10) * 100,
      memory: Math.ceil(rss / 64) * 64,
      limit: Math.ceil((rss * 1.5) / 64) * 64,
    });
  });

  test.each(['gateway', ...SUBGRAPHS] as const)(
    '%s: the V8 heap cap of packages/server-kit/src/memory.ts, below the memory limit, in Kubernetes and compose',
    (service) => {
      const container = find('Deployment', `civic-${service}`).spec.template?.spec.containers[0] as Container;
      const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
      expect(nodeOptions).toBe(nodeOptionsFor(service));
      const heapMb = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions ?? '')?.[1]);
      expect(heapMb).toBeLessThan(mebibytes(container.resources?.limits?.memory));
      const compose = parse(readFileSync(join(workspaceRoot, 'deploy', 'compose.yaml'), 'utf8'), { merge: true }) as {
        services: Record<string, { environment: Record<string, string> }>;
      };
      expect(compose.services[service]?.environment.NODE_OPTIONS).toBe(nodeOptionsFor(service));
    },
  );

  test('secrets come from Secrets; services reach each other at their contract ports', () => {
    const SECRET = /(SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|SMTP_URL)$/;
    for (const m of manifests.filter((x) => x.kind === 'Deployment')) {
      for (const container of m.spec.template?.spec.containers ?? []) {
        for (const env of container.env ?? []) {
          if (SECRET.test(env.name))
            expect(env.valueFrom?.secretKeyRef?.name, `${m.metadata.name} ${env.name}`).toBe('civic-secrets');
          const url = /^http:\/\/civic-([a-z-]+):(\d+)\/graphql$/.exec(env.value ?? '');
          if (url) expect(Number(url[2]), env.value).toBe(PORTS[url[1] as keyof typeof PORTS]);
        }
      }
    }
    const config = manifests.find((m) => m.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    for (const name of Object.keys(config.data)) expect(SECRET.test(name), name).toBe(false);
  });
});

describe('deploy/hive-gateway: the committed supergraph with the Node gateway’s limits', () => {
  const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const subgraph = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"concerns":{"edges":[]}}}');
    });
  });
  const secret = 'x'.repeat(32);
  let hive: ReturnType<typeof createGatewayRuntime>;
  let limits: { maxCost: number; defaultListSize: number; maxDepth: number; maxTokens: number };

  beforeAll(async () => {
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    for (const name of SUBGRAPHS) process.env[`${name.toUpperCase()}_URL`] = url;
    process.env.CIVIC_GATEWAY_SECRET = secret;
    const module = await import('../../../deploy/hive-gateway/gateway.config.ts');
    limits = module.limits;
    const { gatewayConfig } = module;
    const builtin = await getBuiltinPluginsFromConfig(
      gatewayConfig,
      {} as Parameters<typeof getBuiltinPluginsFromConfig>[1],
    );
    hive = createGatewayRuntime({
      ...gatewayConfig,
      supergraph: module.supergraph(),
      plugins: (ctx) => [...builtin, ...(gatewayConfig.plugins?.(ctx) ?? [])],
    } as Parameters<typeof createGatewayRuntime>[0]);
  });
  afterAll(async () => {
    await hive?.dispose();
    await new Promise<void>((resolve) => subgraph.close(() => resolve()));
    for (const name of SUBGRAPHS) delete process.env[`${name.toUpperCase()}_URL`];
  });

  const send = async (query: string) => {
    const response = await hive.fetch('http://hive/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  };

  test('the limits are the Node gateway’s defaults', () => {
    const node = readGatewayEnv({}).limits;
    expect(limits).toEqual({
      maxCost: node.maxCost,
      defaultListSize: node.defaultListSize,
      maxDepth: node.maxDepth,
      maxTokens: node.maxTokens,
    });
  });

  test('too costly, too deep and too long operations are refused before any subgraph is asked', async () => {
    const before = seen.length;
    // 100 concerns × 5 initiatives (assumed size) × 20 concerns each (the default list size): over 5,000.
    const costly = await send('{ concerns(first: 100) { edges { node { initiatives { concerns { id } } } } } }');
    expect(costly.errors?.[0]?.extensions?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    // concerns > edges > node, then conversation > concerns four times: 12 levels.
    const tooDeep = await send(
      `{ concerns(first: 1) { edges { node { ${'conversation { concerns { '.repeat(4)} id ${'} } '.repeat(4)} } } } }`,
    );
    expect(tooDeep.errors?.map((e) => e.message).join(' ')).toMatch(/depth/i);
    const long = await send(`{ ${Array.from({ length: limits.maxTokens }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(long.errors?.[0]?.message).toMatch(/token/i);
    const introspection = await send('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    expect(seen.length).toBe(before);
  });

  test('an accepted query reaches the subgraph at <NAME>_URL signed with the PUBLIC identity', async () => {
    const before = seen.length;
    await send('{ concerns(first: 5) { edges { node { id } } } }');
    expect(seen.length).toBeGreaterThan(before);
    const request = seen.at(-1) as { headers: IncomingHttpHeaders; body: Buffer };
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    const verified = verifyIdentity(secret, header, request.body);
    expect(verified).toMatchObject({ status: 'valid', identity: { role: 'PUBLIC' } });
  });
});
