import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import type { RouteHandler } from '@civic/server-kit/http';
import { renderMarkdown } from './docs-markdown.ts';

type Route = RouteHandler;

const STYLE = `
  body { font: 16px/1.55 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
  header, main { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
  header { display: flex; gap: 1.5rem; align-items: center; border-bottom: 1px solid #ccc; padding-block: .75rem; }
  header a { color: #0b4f8a; font-weight: 600; }
  a { color: #0b4f8a; }
  pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; border-radius: 4px; }
  code { font: 14px/1.4 ui-monospace, monospace; }
  table { border-collapse: collapse; margin: 1rem 0; }
  th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  :focus-visible { outline: 3px solid #e8a200; outline-offset: 2px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header><strong>Civic Graph API</strong><nav aria-label="API tools"><a href="/graphiql">GraphQL IDE</a> · <a href="/docs">Documentation</a></nav></header>
<main>
${body}
</main>
</body>
</html>`;
}

function send(res: ServerResponse, status: number, type: string, body: string, csp: string): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': csp,
  });
  res.end(body);
}

/**
 * The partner documentation (docs/api.md rendered as HTML) at /docs, linked from the GraphQL IDE,
 * and the department-initiatives example page served from the gateway's own origin.
 */
export function docsRoutes(root: string = findWorkspaceRoot()): Record<string, Route> {
  let docs: Promise<string> | undefined;
  const renderDocs = () => {
    docs ??= readFile(join(root, 'docs', 'api.md'), 'utf8').then((markdown) =>
      page('Civic Graph API documentation', renderMarkdown(markdown)),
    );
    docs.catch(() => {
      docs = undefined;
    });
    return docs;
  };
  const serveDocs: Route = async (_req, res) => {
    const html = await renderDocs();
    send(res, 200, 'text/html', html, "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'");
  };
  const serveExample: Route = async (_req, res) => {
    const html = await readFile(join(root, 'examples', 'department-initiatives', 'index.html'), 'utf8');
    send(
      res,
      200,
      'text/html',
      html,
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src *; base-uri 'none'",
    );
  };
  return {
    '/docs': serveDocs,
    '/docs/': serveDocs,
    '/examples/department-initiatives': serveExample,
    '/examples/department-initiatives/': serveExample,
  };
}
