export type Position = [number, number];
type Geometry = { type: string; coordinates: unknown };

/** The polygons (rings of [lon, lat]) of a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection. */
export function polygons(geometry: unknown): Position[][][] {
  const g = (geometry as { type?: string; geometry?: Geometry; features?: { geometry: Geometry }[] }) ?? {};
  if (g.type === 'Feature' && g.geometry) return polygons(g.geometry);
  if (g.type === 'FeatureCollection' && g.features) return g.features.flatMap((f) => polygons(f.geometry));
  if (g.type === 'Polygon') return [(g as Geometry).coordinates as Position[][]];
  if (g.type === 'MultiPolygon') return (g as Geometry).coordinates as Position[][][];
  return [];
}
