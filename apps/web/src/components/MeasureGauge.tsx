import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { useMeasureFormat } from './measure-format.ts';
import { linearMap, runsWithoutGaps, type TimePoint, timePoints } from './measure-time.ts';
import { PlanText, planField } from './PlanText.tsx';

// The dashboard asks for each initiative's key measure alone (`measures(first: 1)`), so its series
// costs one list per initiative in the gateway's estimate. Texts come from `content` alone: it holds
// every field that has an original (as entered, when there is no version in the reader's language),
// so the original columns (name, unit, the latest label and note) would be counted twice for nothing.
export const MeasureGaugeFragment = graphql(`
  fragment MeasureGauge_Measure on Measure {
    id
    valueType
    target
    content(language: $language) {
      field
      text
      language
      machineTranslated
      original
    }
    latest {
      id
      period
      value
      content(language: $language) {
        field
        text
        language
        machineTranslated
        original
      }
    }
    observations {
      id
      period
      segment
      value
    }
  }
`);

const GAUGE_WIDTH = 240;
const SPARK_WIDTH = 160;
const SPARK_HEIGHT = 36;

/** The series as a small line over real time (gaps stay gaps), the latest value marked. */
function Sparkline({ points, label }: { points: TimePoint[]; label: string }) {
  const first = points[0]?.date.getTime() ?? 0;
  const last = points[points.length - 1]?.date.getTime() ?? 0;
  const toX = linearMap([first, Math.max(last, first + 1)], [3, SPARK_WIDTH - 3]);
  const x = (date: Date) => toX(date.getTime());
  const values = points.map((p) => p.value);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const y = linearMap([low, high], [SPARK_HEIGHT - 4, 4]);
  const path = (run: TimePoint[]) =>
    run.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.date).toFixed(2)},${y(p.value).toFixed(2)}`).join('');
  const latest = points[points.length - 1] as TimePoint;
  return (
    <svg
      className="sparkline"
      width={SPARK_WIDTH}
      height={SPARK_HEIGHT}
      viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`}
      role="img"
      aria-label={label}
      style={{ display: 'block', maxWidth: '100%', height: 'auto' }}
    >
      {runsWithoutGaps(points).map((run) => (
        <path key={run[0]?.id} d={path(run)} fill="none" stroke="#0b4f8a" strokeWidth={1.5} />
      ))}
      <circle cx={x(latest.date)} cy={y(latest.value)} r={3} fill="#0b4f8a" />
    </svg>
  );
}

/**
 * A key measure on the dashboard. With a target: the latest value as a bar against the target line.
 * Without one a bar has nothing to be a share of, so the latest value is shown with a sparkline.
 */
export function MeasureGauge({ measure: data }: { measure: FragmentOf<typeof MeasureGaugeFragment> }) {
  const { t, period } = useI18n();
  const measure = readFragment(MeasureGaugeFragment, data);
  const format = useMeasureFormat(measure.valueType);
  const nameText = planField(measure.content, 'name');
  const unitText = planField(measure.content, 'unit');
  const name = nameText?.text ?? unitText?.text ?? '—';
  const latest = measure.latest;
  const labelText = planField(latest?.content, 'label');
  const noteText = planField(latest?.content, 'note');
  const target = measure.target;
  const points = timePoints(measure.observations.filter((o) => o.segment === ''));
  const max = Math.max(1, target ?? 0, latest?.value ?? 0) * 1.1;
  const x = (value: number) => (Math.max(0, value) / max) * GAUGE_WIDTH;
  const when = latest?.period ? period(latest.period) : '—';
  return (
    <figure className="measure measure-gauge">
      <figcaption>
        <strong>{nameText ? <PlanText as="span" item={nameText} fallback={name} /> : name}</strong>
        {unitText ? (
          <span className="muted">
            {' '}
            · {t('chart.unit')} <PlanText as="span" item={unitText} fallback={unitText.text} />
          </span>
        ) : null}
      </figcaption>
      {latest ? (
        <p className="measure-value">
          {format(latest.value)} <span className="muted">({when})</span>
        </p>
      ) : null}
      {labelText || noteText ? (
        <p className="muted observation-note">
          {labelText ? <PlanText as="span" item={labelText} fallback={labelText.text} /> : null}
          {labelText && noteText ? ' · ' : null}
          {noteText ? <PlanText as="span" item={noteText} fallback={noteText.text} /> : null}
        </p>
      ) : null}
      {latest ? null : <p className="muted">{t('measure.noData')}</p>}
      {latest && target != null ? (
        <svg
          viewBox={`0 0 ${GAUGE_WIDTH} 24`}
          role="img"
          aria-label={t('chart.gaugeLabel', { name, value: format(latest.value), target: format(target) })}
        >
          <rect x={0} y={4} width={GAUGE_WIDTH} height={16} className="track" />
          <rect x={0} y={4} width={x(latest.value)} height={16} className="bar" />
          <line x1={x(target)} x2={x(target)} y1={0} y2={24} className="target" />
        </svg>
      ) : null}
      {target != null ? (
        <p className="muted">{t('measure.target', { value: format(target) })}</p>
      ) : points.length >= 2 ? (
        <Sparkline
          points={points}
          label={t('chart.sparklineLabel', {
            name,
            count: points.length,
            from: period((points[0] as TimePoint).period),
            to: period((points[points.length - 1] as TimePoint).period),
            first: format((points[0] as TimePoint).value),
            last: format((points[points.length - 1] as TimePoint).value),
          })}
        />
      ) : null}
    </figure>
  );
}
