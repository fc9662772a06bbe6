import type { KeyboardEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { type Position, polygons } from './geojson.ts';

const WardMapQuery = graphql(`
  query WardMap_Wards {
    wards {
      number
      name
      boundary
    }
    neighborhoods {
      id
      name
      boundary
    }
  }
`);

const SIZE = 300;

/**
 * The wards drawn as SVG paths from their GeoJSON boundaries with an equirectangular projection
 * scaled by cos(latitude): no map tiles, nothing fetched but the boundaries.
 */
interface Props {
  selected: number | null;
  onSelect(ward: number | null): void;
  selectedNeighborhood: string | null;
  onSelectNeighborhood(id: string | null): void;
}

export function WardMap({ selected, onSelect, selectedNeighborhood, onSelectNeighborhood }: Props) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: WardMapQuery });
  const wards = (data?.wards ?? []).map((w) => ({ ...w, polygons: polygons(w.boundary) }));
  // Neighborhoods are drawn over the wards where their boundary is published.
  const neighborhoods = (data?.neighborhoods ?? [])
    .map((n) => ({ ...n, polygons: polygons(n.boundary) }))
    .filter((n) => n.polygons.length > 0);
  const points = wards.flatMap((w) => w.polygons.flat(2));
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = SIZE / Math.max((maxLon - minLon) * kx, maxLat - minLat);
  const project = ([lon, lat]: Position) =>
    `${((lon - minLon) * kx * scale).toFixed(1)},${((maxLat - lat) * scale).toFixed(1)}`;
  const path = (polys: Position[][][]) =>
    polys.map((poly) => poly.map((ring) => `M${ring.map(project).join('L')}Z`).join('')).join('');
  const activate = (e: KeyboardEvent, run: () => void) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      run();
    }
  };
  const width = (maxLon - minLon) * kx * scale;
  const height = (maxLat - minLat) * scale;
  return (
    <section aria-labelledby="map-heading" className="map">
      <h3 id="map-heading">{t('map.heading')}</h3>
      <p className="muted">{t('map.hint')}</p>
      <svg viewBox={`-2 -2 ${width + 4} ${height + 4}`} width="100%" style={{ maxWidth: 320 }}>
        <title>{t('map.heading')}</title>
        {wards.map((w) => (
          // biome-ignore lint/a11y/useSemanticElements: an SVG shape acts as the ward's toggle button
          <path
            key={w.number}
            role="button"
            tabIndex={0}
            aria-pressed={selected === w.number}
            aria-label={t('map.ward', { number: w.number })}
            className={`ward ward-${w.number}${selected === w.number ? ' selected' : ''}`}
            d={path(w.polygons)}
            onClick={() => onSelect(selected === w.number ? null : w.number)}
            onKeyDown={(e) => activate(e, () => onSelect(selected === w.number ? null : w.number))}
          />
        ))}
        {neighborhoods.map((n) => (
          // biome-ignore lint/a11y/useSemanticElements: an SVG shape acts as the neighborhood's toggle button
          <path
            key={n.id}
            role="button"
            tabIndex={0}
            aria-pressed={selectedNeighborhood === n.id}
            aria-label={n.name}
            className={`neighborhood${selectedNeighborhood === n.id ? ' selected' : ''}`}
            d={path(n.polygons)}
            onClick={() => onSelectNeighborhood(selectedNeighborhood === n.id ? null : n.id)}
            onKeyDown={(e) => activate(e, () => onSelectNeighborhood(selectedNeighborhood === n.id ? null : n.id))}
          />
        ))}
      </svg>
    </section>
  );
}
