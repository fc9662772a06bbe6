import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from '@civic/test-stack/graphql';
import { freePort, type Stack, startStack } from '@civic/test-stack/stack';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';

const webRoot = new URL('..', import.meta.url).pathname;
export const resultsDir = join(webRoot, 'test-results');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WebStack {
  stack: Stack;
  webUrl: string;
  context: BrowserContext;
  page: Page;
  query<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  close(): Promise<void>;
}

/** An HS256 development token the stack's gateway accepts (the same claims `civic token` mints). */
export function devToken(
  secret: string,
  claims: { sub: string; role: 'STAFF' | 'ADMIN'; department?: string },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    ...claims,
    iss: 'civic-graph-dev',
    aud: 'civic-graph',
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * Starts the real stack, builds this app against its gateway into a temporary folder,
 * serves it with `vite preview`, and opens headless Chromium on a fresh profile.
 * `production`: build as `npm run build` does; otherwise vitest's NODE_ENV=test gives React's
 * development build (its warnings, StrictMode's double effects).
 * `root`: another checkout of this app to build and serve with its own vite.config.ts (scripts/lighthouse-before.ts
 * audits an earlier commit's client against today's stack); this one by default. `gatewayEnv`: for the gateway only.
 * `shareSubgraphs`: the subgraphs of the other web files that share theirs (`StackOptions.shareSubgraphs`).
 */
export async function startWebStack(
  options: { production?: boolean; root?: string; gatewayEnv?: NodeJS.ProcessEnv; shareSubgraphs?: boolean } = {},
): Promise<WebStack> {
  const root = options.root ?? webRoot;
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  // On a loaded machine the demo seed can take a while; readiness is waited for, never timed.
  const stack = await startStack({
    gatewayEnv: { CORS_ORIGINS: webUrl, ...options.gatewayEnv },
    readyTimeoutMs: 240_000,
    shareSubgraphs: options.shareSubgraphs ? 'web' : undefined,
  });
  const outDir = mkdtempSync(join(tmpdir(), 'civic-web-'));
  const profile = mkdtempSync(join(tmpdir(), 'civic-chromium-'));
  let server: PreviewServer | undefined;
  let context: BrowserContext | undefined;
  try {
    process.env.VITE_GATEWAY_URL = stack.gatewayUrl;
    const nodeEnv = process.env.NODE_ENV;
    if (options.production) process.env.NODE_ENV = 'production';
    try {
      await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    server = await preview({
      root,
      logLevel: 'warn',
      build: { outDir },
      preview: { port: webPort, strictPort: true, host: '127.0.0.1' },
    });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
    });
    mkdirSync(resultsDir, { recursive: true });
  } catch (error) {
    await context?.close();
    await server?.close();
    await stack.destroy();
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    stack,
    webUrl,
    context,
    page,
    async query<T>(query: string, variables: Record<string, unknown> = {}, token?: string) {
      const response = await gql<T>(
        stack.gatewayUrl,
        query,
        variables,
        token ? { authorization: `Bearer ${token}` } : {},
      );
      if (!response.body.data) throw new Error(JSON.stringify(response.body.errors));
      return response.body.data;
    },
    async close() {
      await context?.close();
      await server?.close();
      await stack.destroy();
      rmSync(outDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
