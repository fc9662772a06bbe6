import type { FieldProblem } from '@civic/server-kit/errors';

/**
 * Checks that a service area is a GeoJSON Polygon, MultiPolygon, or a Feature/FeatureCollection
 * of them, with closed rings of at least four [longitude, latitude] positions in range.
 */
export function geoJsonAreaProblems(value: unknown, field: string): FieldProblem[] {
  const problems: string[] = [];
  checkArea(value, problems, 'the value');
  return problems.slice(0, 5).map((message) => ({ field, message }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkArea(value: unknown, problems: string[], where: string): void {
  if (!isObject(value)) {
    problems.push(`${where} must be a GeoJSON object`);
    return;
  }
  switch (value.type) {
    case 'Polygon':
      checkPolygon(value.coordinates, problems, where);
      return;
    case 'MultiPolygon':
      if (!Array.isArray(value.coordinates) || value.coordinates.length === 0) {
        problems.push(`${where}: MultiPolygon coordinates must be a non-empty array of polygons`);
        return;
      }
      for (const [i, polygon] of value.coordinates.entries()) {
        checkPolygon(polygon, problems, `${where} polygon ${i + 1}`);
      }
      return;
    case 'Feature':
      checkArea(value.geometry, problems, `${where} geometry`);
      return;
    case 'FeatureCollection':
      if (!Array.isArray(value.features) || value.features.length === 0) {
        problems.push(`${where}: a FeatureCollection needs at least one feature`);
        return;
      }
      value.features.forEach((feature, i) => {
        if (!isObject(feature) || feature.type !== 'Feature')
          problems.push(`${where} feature ${i + 1} is not a Feature`);
        else checkArea(feature.geometry, problems, `${where} feature ${i + 1}`);
      });
      return;
    default:
      problems.push(
        `${where} must be a Polygon, MultiPolygon, Feature or FeatureCollection (got ${String(value.type)})`,
      );
  }
}

function checkPolygon(rings: unknown, problems: string[], where: string): void {
  if (!Array.isArray(rings) || rings.length === 0) {
    problems.push(`${where}: Polygon coordinates must be a non-empty array of linear rings`);
    return;
  }
  rings.forEach((ring, r) => {
    if (!Array.isArray(ring) || ring.length < 4) {
      problems.push(`${where} ring ${r + 1} needs at least four positions`);
      return;
    }
    const bad = ring.findIndex((p) => !isPosition(p));
    if (bad >= 0) {
      problems.push(`${where} ring ${r + 1} position ${bad + 1} is not a [longitude, latitude] pair in range`);
      return;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${where} ring ${r + 1} is not closed`);
  });
}

function isPosition(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  if (!value.every((n) => typeof n === 'number' && Number.isFinite(n))) return false;
  const [lon, lat] = value as number[];
  return Math.abs(lon as number) <= 180 && Math.abs(lat as number) <= 90;
}
