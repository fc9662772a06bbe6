import { useId } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { GapRow } from './gap-rows.ts';

const SHOWN = 12;
const BAR_HEIGHT = 22;
const GAP = 6;
const LABEL_WIDTH = 330;
const BAR_SPACE = 330;
const PRIORITY_FILL = '#7a2e00';
const OTHER_FILL = '#1d5a8a';

/**
 * Horizontal bars of the largest groups (equity-priority areas in the darker colour). The figure is a
 * picture with a name; its exact values are in the table that follows it.
 */
export function GapChart({ rows }: { rows: readonly GapRow[] }) {
  const { t, number } = useI18n();
  const id = useId();
  const largest = [...rows].sort((a, b) => b.count - a.count).slice(0, SHOWN);
  const max = Math.max(1, ...largest.map((r) => r.count));
  const height = largest.length * (BAR_HEIGHT + GAP);
  return (
    <figure className="equity-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{t('equityPage.chartHeading')}</strong>{' '}
        {t('equityPage.chartSummary', { shown: largest.length, total: rows.length })}
      </figcaption>
      <p className="equity-legend">
        <span aria-hidden="true" style={{ color: PRIORITY_FILL }}>
          ■
        </span>{' '}
        {t('equity.priority')} ·{' '}
        <span aria-hidden="true" style={{ color: OTHER_FILL }}>
          ■
        </span>{' '}
        {t('equity.no')}
      </p>
      <svg
        role="img"
        aria-labelledby={`${id}-caption`}
        viewBox={`0 0 ${LABEL_WIDTH + BAR_SPACE + 50} ${height}`}
        width="100%"
        style={{ maxWidth: '44rem', display: 'block' }}
        data-testid="equity-chart"
      >
        <title>{t('equityPage.chartHeading')}</title>
        {largest.map((row, n) => {
          const y = n * (BAR_HEIGHT + GAP);
          const width = Math.max(2, (row.count / max) * BAR_SPACE);
          return (
            <g key={row.key} data-key={row.key}>
              <title>
                {t('equityPage.chartBar', { place: row.place, theme: row.theme, count: number(row.count) })}
              </title>
              <text
                x={LABEL_WIDTH - 6}
                y={y + BAR_HEIGHT / 2}
                dominantBaseline="middle"
                textAnchor="end"
                fontSize="12"
                fill="#1a1a1a"
              >
                {`${row.place} · ${row.theme}`.slice(0, 52)}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y}
                width={width}
                height={BAR_HEIGHT}
                fill={row.priority ? PRIORITY_FILL : OTHER_FILL}
              />
              <text
                x={LABEL_WIDTH + width + 4}
                y={y + BAR_HEIGHT / 2}
                dominantBaseline="middle"
                fontSize="12"
                fill="#1a1a1a"
              >
                {number(row.count)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
