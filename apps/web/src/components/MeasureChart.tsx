import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

export const MeasureChartFragment = graphql(`
  fragment MeasureChart_Measure on Measure {
    id
    name
    unit
    valueType
    target
    targetLabel
    latest {
      id
      period
      label
      value
    }
    observations {
      id
      period
      label
      segment
      value
    }
  }
`);

const WIDTH = 320;
const HEIGHT = 140;
const PAD = 28;

/** A key measure as bars against its target, with the same numbers as a table. */
export function MeasureChart({ measure: data }: { measure: FragmentOf<typeof MeasureChartFragment> }) {
  const { t, number, period } = useI18n();
  const measure = readFragment(MeasureChartFragment, data);
  const name = measure.name ?? measure.unit ?? '—';
  const series = measure.observations.filter((o) => o.segment === '');
  const format = (value: number) =>
    measure.valueType === 'PERCENT'
      ? number(value / 100, { style: 'percent', maximumFractionDigits: 1 })
      : number(value);
  const target = measure.target;
  const max = Math.max(1, target ?? 0, ...series.map((o) => o.value));
  const barWidth = series.length ? (WIDTH - PAD) / series.length : 0;
  const y = (value: number) => HEIGHT - PAD - (value / max) * (HEIGHT - PAD * 1.5);
  return (
    <figure className="measure">
      <figcaption>
        <strong>{name}</strong>
        {target != null ? <span> · {t('measure.target', { value: format(target) })}</span> : null}
        {target == null && measure.targetLabel ? <span> · {measure.targetLabel}</span> : null}
      </figcaption>
      {series.length === 0 ? (
        <p className="muted">{t('measure.noData')}</p>
      ) : (
        <>
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('measure.chartLabel', { name })}>
            {series.map((o, i) => (
              <g key={o.id}>
                <rect
                  x={PAD + i * barWidth + 2}
                  y={y(o.value)}
                  width={Math.max(2, barWidth - 4)}
                  height={HEIGHT - PAD - y(o.value)}
                  className="bar"
                />
                {series.length <= 8 ? (
                  <text
                    x={PAD + i * barWidth + barWidth / 2}
                    y={HEIGHT - PAD + 14}
                    textAnchor="middle"
                    className="axis"
                  >
                    {o.period ? period(o.period) : o.label && o.label.length <= 10 ? o.label : String(i + 1)}
                  </text>
                ) : null}
              </g>
            ))}
            {target != null ? (
              <line x1={PAD} x2={WIDTH} y1={y(target)} y2={y(target)} className="target" strokeDasharray="6 4" />
            ) : null}
            <line x1={PAD} x2={PAD} y1={4} y2={HEIGHT - PAD} className="axis-line" />
            <text x={PAD - 4} y={y(max) + 4} textAnchor="end" className="axis">
              {format(max)}
            </text>
          </svg>
          <details>
            <summary>{t('measure.tableCaption', { name })}</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('measure.period')}</th>
                  <th scope="col">{t('measure.value')}</th>
                </tr>
              </thead>
              <tbody>
                {series.map((o) => (
                  <tr key={o.id}>
                    <td>{o.period ? period(o.period) : (o.label ?? '—')}</td>
                    <td>{format(o.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
