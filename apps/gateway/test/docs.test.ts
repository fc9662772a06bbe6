import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from '@civic/test-stack/stack';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMarkdown, slug } from '../src/docs-markdown.ts';
import { EXAMPLE_OPERATIONS } from '../src/examples.ts';
import { gatewayBase, gql, productionStack } from './helpers.ts';

const schema = buildSchema(readFileSync(join(import.meta.dirname, '..', 'api-schema.graphql'), 'utf8'));
const markdown = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'api.md'), 'utf8');
const PARTNER_ORIGIN = 'https://partner.example';

describe('rendering', () => {
  test('markdown: headings get ids, text is escaped, only safe links are links', () => {
    const html = renderMarkdown(
      '# Roles: what <each> may do\n\nSee [docs](/docs) and [bad](javascript:alert(1)) with `<b>` and **bold**.\n\n| a | b |\n| --- | --- |\n| `x` | y |\n\n- one\n- two\n',
    );
    expect(html).toContain('<h1 id="roles-what-each-may-do">Roles: what &lt;each&gt; may do</h1>');
    expect(html).toContain('<a href="/docs">docs</a>');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<code>&lt;b&gt;</code>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<th scope="col">a</th>');
    expect(html).toContain('<td><code>x</code></td>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(slug('Roles: what each caller may read and write')).toBe('roles-what-each-caller-may-read-and-write');
  });

  test('the IDE examples and every GraphQL example in the docs fit the public schema', () => {
    expect(validate(schema, parse(EXAMPLE_OPERATIONS))).toEqual([]);
    const blocks = [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(3);
    for (const block of blocks) expect(validate(schema, parse(block)), block).toEqual([]);
  });
});

describe('served by the gateway', () => {
  let stack: Stack;
  let base: string;

  beforeAll(async () => {
    stack = await productionStack({
      seed: 'none',
      gatewayEnv: { CORS_PUBLIC_ORIGINS: PARTNER_ORIGIN },
      readyTimeoutMs: 170_000,
    });
    base = gatewayBase(stack);
  }, 400_000);
  afterAll(async () => {
    await stack?.destroy();
  });

  test('/docs renders the API documentation and every link on it works', async () => {
    const response = await fetch(`${base}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<h1 id="civic-graph-api-for-partners-and-departments">');
    for (const section of ['authentication', 'limits', 'pagination', 'errors', 'example-operations']) {
      expect(html).toContain(`id="${section}"`);
    }
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const hrefs = new Set([...html.matchAll(/ href="([^"]+)"/g)].map((m) => (m[1] as string).replaceAll('&amp;', '&')));
    expect(hrefs).toContain('/graphiql');
    for (const href of hrefs) {
      if (href.startsWith('#')) {
        expect(ids, href).toContain(href.slice(1));
      } else {
        expect(href.startsWith('/'), href).toBe(true);
        const linked = await fetch(new URL(href, base), { headers: { accept: 'text/html' } });
        expect(linked.status, href).toBe(200);
        expect(linked.headers.get('content-type'), href).toContain('text/html');
        await linked.body?.cancel();
      }
    }
  });

  test('the IDE links to the documentation and preloads the example operations', async () => {
    const html = await (await fetch(`${base}/graphiql`)).text();
    expect(html).toContain('href="/docs"');
    expect(html).toContain('ConcernDetail');
    expect(html).toContain('EquityGapReport');
  });

  test('a public origin gets anonymous CORS only: no credentials, no key or token headers', async () => {
    const preflight = (origin: string, headers: string) =>
      fetch(stack.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
      });
    const allowed = await preflight(PARTNER_ORIGIN, 'content-type');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const allowedHeaders = (allowed.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    expect(allowedHeaders).toContain('content-type');
    expect(allowedHeaders).not.toContain('authorization');
    expect(allowedHeaders).not.toContain('x-api-key');

    const post = await gql(stack.gatewayUrl, '{ goals { number } }', {}, { origin: PARTNER_ORIGIN });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe(PARTNER_ORIGIN);
    expect(post.headers.get('access-control-allow-credentials')).toBeNull();

    const other = await preflight('https://elsewhere.example', 'content-type');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
