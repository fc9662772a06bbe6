import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

// Latest value against target only: lists multiply the gateway's cost estimate, so pages that
// show many initiatives leave the full series to the initiative page (MeasureChart).
export const MeasureGaugeFragment = graphql(`
  fragment MeasureGauge_Measure on Measure {
    id
    name
    valueType
    target
    latest {
      id
      period
      value
    }
  }
`);

const WIDTH = 240;

/**
 * A key measure's latest value as a bar against its target, with the numbers as a table. Without a
 * target a bar has nothing to be a share of, so only the value is shown.
 */
export function MeasureGauge({ measure: data }: { measure: FragmentOf<typeof MeasureGaugeFragment> }) {
  const { t, number, period } = useI18n();
  const measure = readFragment(MeasureGaugeFragment, data);
  const name = measure.name ?? '—';
  const format = (value: number) =>
    measure.valueType === 'PERCENT'
      ? number(value / 100, { style: 'percent', maximumFractionDigits: 1 })
      : number(value);
  const latest = measure.latest;
  const target = measure.target;
  const max = Math.max(1, target ?? 0, latest?.value ?? 0) * 1.1;
  const x = (value: number) => (Math.max(0, value) / max) * WIDTH;
  return (
    <figure className="measure">
      <figcaption>
        <strong>{name}</strong>
      </figcaption>
      {latest && target != null ? (
        <svg viewBox={`0 0 ${WIDTH} 24`} role="img" aria-label={t('measure.chartLabel', { name })}>
          <rect x={0} y={4} width={WIDTH} height={16} className="track" />
          <rect x={0} y={4} width={x(latest.value)} height={16} className="bar" />
          <line x1={x(target)} x2={x(target)} y1={0} y2={24} className="target" />
        </svg>
      ) : null}
      <table className="compact">
        <tbody>
          <tr>
            <th scope="row">{t('measure.value')}</th>
            <td>
              {latest
                ? `${format(latest.value)} (${latest.period ? period(latest.period) : '—'})`
                : t('measure.noData')}
            </td>
          </tr>
          {target != null ? (
            <tr>
              <th scope="row">{t('measure.target', { value: '' }).replace(/:\s*$/, '')}</th>
              <td>{format(target)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </figure>
  );
}
