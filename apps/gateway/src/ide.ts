import type { ServerResponse } from 'node:http';
import { EXAMPLE_OPERATIONS } from './examples.ts';

let page: Promise<string> | undefined;

/**
 * GraphiQL, bundled (@graphql-yoga/render-graphiql inlines its scripts and styles), so the IDE
 * works without any CDN or network access beyond this gateway.
 */
function render(): Promise<string> {
  page ??= import('@graphql-yoga/render-graphiql')
    .then(({ renderGraphiQL }) =>
      renderGraphiQL({
        title: 'Civic Graph API',
        endpoint: '/graphql',
        defaultQuery: EXAMPLE_OPERATIONS,
        isHeadersEditorEnabled: true,
        defaultEditorToolsVisibility: 'headers',
        shouldPersistHeaders: false,
      }),
    )
    .then((html) =>
      html.replace(
        '</body>',
        '<a href="/docs" style="position:fixed;right:1rem;bottom:1rem;z-index:10;padding:.4rem .7rem;background:#fff;color:#0b4f8a;border:1px solid #0b4f8a;border-radius:4px;font:600 14px system-ui,sans-serif">API documentation</a></body>',
      ),
    );
  return page;
}

export async function serveIde(res: ServerResponse): Promise<void> {
  const html = await render();
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}
