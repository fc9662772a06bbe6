import { buildCatalog, type CatalogOptions } from './catalog.ts';
import { collectOpenData } from './collect.ts';
import { DATASETS, fileNames, MEDIA_TYPES, renderDatasets } from './render.ts';
import type { ExecutePublic, OpenDataFile, OpenDataSnapshot, ProgressListener } from './types.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A plain page listing the datasets and their files (index.html). */
export function renderIndex(snapshot: OpenDataSnapshot, options: CatalogOptions): string {
  const items = DATASETS.map((dataset) => {
    const names = fileNames(dataset);
    const links = [names.csv, names.json, names.geojson, names.schema]
      .filter((n): n is string => Boolean(n))
      .map((n) => `<a href="${escapeHtml(n)}">${escapeHtml(n)}</a>`)
      .join(' · ');
    const count = dataset.rows(snapshot).length;
    return `<li><h2>${escapeHtml(dataset.title)} <small>(${count} records)</small></h2><p>${escapeHtml(dataset.description)}</p><p>${links}</p></li>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(options.publisher)} — open data</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>${escapeHtml(options.publisher)} — open data</h1>
<p>Published concerns, conversations and the strategic plan, read from the public API on ${escapeHtml(snapshot.readAt)}.
Catalog: <a href="data.json">data.json</a> (DCAT-US v1.1). Licence: <a href="${escapeHtml(options.license)}">${escapeHtml(options.license)}</a>.</p>
<ul>
${items}
</ul>
</body>
</html>
`;
}

/** Every file: the datasets, their Table Schemas, data.json and index.html. */
export function renderOpenData(snapshot: OpenDataSnapshot, options: CatalogOptions): OpenDataFile[] {
  return [
    ...renderDatasets(snapshot),
    {
      name: 'data.json',
      mediaType: MEDIA_TYPES.json,
      body: `${JSON.stringify(buildCatalog(snapshot, options), null, 2)}\n`,
    },
    { name: 'index.html', mediaType: MEDIA_TYPES.html, body: renderIndex(snapshot, options) },
  ];
}

export async function buildOpenData(
  execute: ExecutePublic,
  options: CatalogOptions,
  onProgress?: ProgressListener,
): Promise<{ snapshot: OpenDataSnapshot; files: OpenDataFile[] }> {
  const snapshot = await collectOpenData(execute, onProgress);
  return { snapshot, files: renderOpenData(snapshot, options) };
}
