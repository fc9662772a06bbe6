import mapUrl from 'virtual:durham-map';
import { useEffect, useId, useState } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import {
  CLASS_COLORS,
  classBreaks,
  classOf,
  type DurhamMapShapes,
  type DurhamTopology,
  type NeighborhoodShape,
  shapesOf,
} from './durham-map-shapes.ts';

const NEUTRAL = '#e3e7ec';

let loading: Promise<DurhamMapShapes> | undefined;

/** The map asset, fetched once per page load (its hashed name lets the browser keep it for good). */
export function loadDurhamMap(): Promise<DurhamMapShapes> {
  loading ??= fetch(mapUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`map asset: HTTP ${response.status}`);
      return response.json() as Promise<DurhamTopology>;
    })
    .then(shapesOf)
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

export function useDurhamMap(): { shapes: DurhamMapShapes | null; failed: boolean } {
  const [state, setState] = useState<{ shapes: DurhamMapShapes | null; failed: boolean }>({
    shapes: null,
    failed: false,
  });
  useEffect(() => {
    let live = true;
    loadDurhamMap().then(
      (shapes) => live && setState({ shapes, failed: false }),
      () => live && setState({ shapes: null, failed: true }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

interface Props {
  /** Neighborhood id → figure; null (or absent) is drawn as "no data", never as zero. */
  values: ReadonlyMap<string, number | null>;
  /** What the figures are, e.g. "Concerns heard"; names the map and its legend. */
  label: string;
  format?: (value: number) => string;
  /** Makes each neighborhood a link. */
  hrefFor?: (id: string) => string;
  /** A neighborhood to outline (e.g. the one a page is about). */
  highlight?: string;
  /** What the screen-reader equivalent is; defaults to "the table with the map". */
  equivalent?: string;
}

/**
 * Durham's 237 neighborhoods as an SVG choropleth with the council wards outlined, from the static
 * map asset. Every neighborhood can be reached with the keyboard and is named with its figure; the
 * caller shows the same figures as a table, which the map points to.
 */
export function NeighborhoodMap({ values, label, format, hrefFor, highlight, equivalent }: Props) {
  const { t, locale, number } = useI18n();
  const id = useId();
  const { shapes, failed } = useDurhamMap();
  const patternId = `nodata-${id.replace(/[^\w-]/g, '')}`;
  const show = format ?? ((value: number) => number(value));
  if (failed) return <p className="muted">{t('nmap.failed')}</p>;
  if (!shapes) return <p className="muted nmap-loading">{t('nmap.loading')}</p>;
  // No figures at all: a locator map (every neighborhood in one neutral colour), not a map of missing data.
  const locator = values.size === 0;
  const breaks = classBreaks(values.values());
  const fillOf = (value: number | null | undefined) =>
    locator
      ? NEUTRAL
      : value === null || value === undefined || breaks.length === 0
        ? `url(#${patternId})`
        : CLASS_COLORS[breaks.length === 2 ? CLASS_COLORS.length - 1 : classOf(value, breaks)];
  const ordered = highlight
    ? [
        ...shapes.neighborhoods.filter((n) => n.id !== highlight),
        ...shapes.neighborhoods.filter((n) => n.id === highlight),
      ]
    : shapes.neighborhoods;
  const nameOf = (n: NeighborhoodShape) => (locale === 'es' ? n.nameEs : n.name);
  const accessibleName = (n: NeighborhoodShape) => {
    if (locator) return nameOf(n);
    const value = values.get(n.id);
    const figure = value === null || value === undefined ? t('nmap.noData') : show(value);
    return `${nameOf(n)}: ${label}, ${figure}`;
  };
  const classes =
    breaks.length === 2
      ? [{ color: CLASS_COLORS[CLASS_COLORS.length - 1], from: breaks[0] as number, to: breaks[1] as number }]
      : CLASS_COLORS.map((color, i) => ({ color, from: breaks[i] as number, to: breaks[i + 1] as number })).filter(
          () => breaks.length > 0,
        );
  return (
    <figure className="nmap" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{label}</figcaption>
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing groups its shapes with role="group" */}
      <svg
        viewBox={`0 0 ${shapes.width} ${shapes.height}`}
        role="group"
        aria-labelledby={`${id}-caption`}
        aria-describedby={`${id}-equivalent`}
      >
        <defs>
          <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f0f0f0" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" strokeWidth="2" />
          </pattern>
        </defs>
        {ordered.map((n) => {
          const shape = (
            <path
              key="area"
              className={`nmap-area${n.id === highlight ? ' nmap-highlight' : ''}`}
              d={n.d}
              fill={fillOf(values.get(n.id))}
            />
          );
          return hrefFor ? (
            <a
              key={n.id}
              href={hrefFor(n.id)}
              aria-label={accessibleName(n)}
              aria-current={n.id === highlight ? 'page' : undefined}
            >
              <title>{accessibleName(n)}</title>
              {shape}
            </a>
          ) : (
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG group is not interactive; tabIndex lets the keyboard reach each neighborhood to hear its figure
            <g key={n.id} role="img" tabIndex={0} aria-label={accessibleName(n)} className="nmap-item">
              <title>{accessibleName(n)}</title>
              {shape}
            </g>
          );
        })}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a plain SVG path is not focusable; the outlines are decoration */}
        <path className="nmap-wards" d={shapes.wardOutlines} aria-hidden="true" />
      </svg>
      <p id={`${id}-equivalent`} className="muted nmap-equivalent">
        {equivalent ?? t('nmap.equivalent')}
      </p>
      <ul className="nmap-legend" aria-label={t('nmap.legend', { label })}>
        {locator
          ? null
          : classes.map((c) => (
              <li key={c.from}>
                <span className="nmap-swatch" style={{ background: c.color }} aria-hidden="true" />
                {c.from === c.to ? show(c.from) : `${show(c.from)} – ${show(c.to)}`}
              </li>
            ))}
        {locator ? null : (
          <li>
            <span className="nmap-swatch nmap-swatch-nodata" aria-hidden="true" />
            {t('nmap.noData')}
          </li>
        )}
        <li>
          <span className="nmap-swatch nmap-swatch-ward" aria-hidden="true" />
          {t('nmap.wardBorder')}
        </li>
      </ul>
    </figure>
  );
}
