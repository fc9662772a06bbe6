import { DATASETS, type Dataset, fileNames } from './render.ts';
import type { OpenDataSnapshot } from './types.ts';

export const POD_SCHEMA = 'https://project-open-data.cio.gov/v1.1/schema';

export interface CatalogOptions {
  /** Absolute URL the files are served from, ending in "/" (e.g. https://city.example/open-data/). */
  baseUrl: string;
  publisher: string;
  contactName: string;
  /** An email address (without "mailto:"). */
  contactEmail: string;
  /** License URL for every dataset. */
  license: string;
  /** Spatial coverage when no boundary gives a bounding box (a place name). */
  spatial?: string;
}

export const DEFAULT_CATALOG = {
  publisher: 'City of Durham',
  contactName: 'Civic Graph open data',
  contactEmail: 'opendata@civicgraph.invalid',
  license: 'https://creativecommons.org/licenses/by/4.0/',
  spatial: 'Durham, North Carolina',
} as const;

/** West,south,east,north of every coordinate in the ward and neighborhood boundaries. */
export function boundingBox(snapshot: Pick<OpenDataSnapshot, 'wards' | 'neighborhoods'>): string | undefined {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const visit = (value: unknown) => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      west = Math.min(west, value[0]);
      east = Math.max(east, value[0]);
      south = Math.min(south, value[1]);
      north = Math.max(north, value[1]);
      return;
    }
    for (const item of value) visit(item);
  };
  for (const area of [...snapshot.wards, ...snapshot.neighborhoods]) visit(area.boundary?.coordinates);
  return Number.isFinite(west) ? [west, south, east, north].join(',') : undefined;
}

function distributions(dataset: Dataset<unknown>, baseUrl: string) {
  const names = fileNames(dataset);
  const schemaUrl = new URL(names.schema, baseUrl).toString();
  return [
    {
      '@type': 'dcat:Distribution',
      title: `${dataset.title} (CSV)`,
      downloadURL: new URL(names.csv, baseUrl).toString(),
      mediaType: 'text/csv',
      format: 'CSV',
      describedBy: schemaUrl,
      describedByType: 'application/json',
      conformsTo: 'https://specs.frictionlessdata.io/table-schema/',
    },
    {
      '@type': 'dcat:Distribution',
      title: `${dataset.title} (JSON)`,
      downloadURL: new URL(names.json, baseUrl).toString(),
      mediaType: 'application/json',
      format: 'JSON',
    },
    ...(names.geojson
      ? [
          {
            '@type': 'dcat:Distribution',
            title: `${dataset.title} (GeoJSON)`,
            downloadURL: new URL(names.geojson, baseUrl).toString(),
            mediaType: 'application/geo+json',
            format: 'GeoJSON',
            conformsTo: 'https://www.rfc-editor.org/rfc/rfc7946',
          },
        ]
      : []),
  ];
}

/** The data.json catalog in the DCAT-US (Project Open Data) v1.1 schema. */
export function buildCatalog(snapshot: OpenDataSnapshot, options: CatalogOptions) {
  const spatial = boundingBox(snapshot) ?? options.spatial;
  return {
    '@context': `${POD_SCHEMA}/catalog.jsonld`,
    '@id': new URL('data.json', options.baseUrl).toString(),
    '@type': 'dcat:Catalog',
    conformsTo: POD_SCHEMA,
    describedBy: `${POD_SCHEMA}/catalog.json`,
    dataset: DATASETS.map((dataset) => {
      const rows = dataset.rows(snapshot);
      const temporal = dataset.temporal?.(rows);
      return {
        '@type': 'dcat:Dataset',
        title: dataset.title,
        description: dataset.description,
        keyword: dataset.keyword,
        modified: dataset.modified?.(rows) ?? snapshot.readAt,
        publisher: { '@type': 'org:Organization', name: options.publisher },
        contactPoint: {
          '@type': 'vcard:Contact',
          fn: options.contactName,
          hasEmail: `mailto:${options.contactEmail}`,
        },
        identifier: new URL(`#${dataset.id}`, options.baseUrl).toString(),
        accessLevel: 'public',
        license: options.license,
        landingPage: options.baseUrl,
        describedBy: new URL(fileNames(dataset).schema, options.baseUrl).toString(),
        describedByType: 'application/json',
        ...(spatial ? { spatial } : {}),
        ...(temporal ? { temporal } : {}),
        accrualPeriodicity: 'irregular',
        distribution: distributions(dataset, options.baseUrl),
      };
    }),
  };
}
