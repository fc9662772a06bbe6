import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A file of @civic/reference-data's demo data, as text. */
export function referenceFile(path: string): string {
  return readFileSync(require.resolve(`@civic/reference-data/data/${path}`), 'utf8');
}

interface WardFeature {
  properties: { Ward: string };
  geometry: { type: 'MultiPolygon' | 'Polygon'; coordinates: unknown[] };
}

/** Durham's wards: the published file splits wards 2 and 3 across counties, so parts are joined per ward. */
export function loadWards(): {
  number: number;
  name: string;
  boundary: { type: 'MultiPolygon'; coordinates: unknown[] };
}[] {
  // Six decimals (about 0.1 m) is finer than the survey behind the file and halves what is stored and sent.
  const collection = JSON.parse(referenceFile('durham/wards.geojson'), (_key, value) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e6) / 1e6 : value,
  ) as { features: WardFeature[] };
  const byName = new Map<string, unknown[]>();
  for (const feature of collection.features) {
    const polygons =
      feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    byName.set(feature.properties.Ward, [...(byName.get(feature.properties.Ward) ?? []), ...polygons]);
  }
  return [...byName].map(([name, coordinates]) => ({
    number: Number(name.replace(/\D/g, '')),
    name,
    boundary: { type: 'MultiPolygon' as const, coordinates },
  }));
}
