import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { useMeasureFormat } from './measure-format.ts';
import { runsWithoutGaps, type TimePoint, timePoints, timeTickFormat, useElementWidth } from './measure-time.ts';
import { PlanText, planField } from './PlanText.tsx';
import { timeScale } from './time-scale.ts';

export const MeasureChartFragment = graphql(`
  fragment MeasureChart_Measure on Measure {
    id
    name
    unit
    valueType
    target
    targetLabel
    content(language: $language) {
      field
      text
      language
      machineTranslated
      original
    }
    observations {
      id
      period
      label
      note
      segment
      value
      content(language: $language) {
        field
        text
        language
        machineTranslated
        original
      }
    }
  }
`);

const HEIGHT = 220;
const MARGIN = { top: 22, right: 16, bottom: 30, left: 56 };
const MIN_LABEL_GAP = 44;

/** A number of the measure in the reader's language, as a percentage for percent measures. */
/**
 * A key measure over a real time axis (a pause of three years is three years wide and breaks the
 * line), with its target line, value labels and the same numbers as a table.
 */
export function MeasureChart({ measure: data }: { measure: FragmentOf<typeof MeasureChartFragment> }) {
  const { t, period, locale } = useI18n();
  const measure = readFragment(MeasureChartFragment, data);
  const [frame, width] = useElementWidth<HTMLDivElement>(600);
  const format = useMeasureFormat(measure.valueType);
  const series = measure.observations.filter((o) => o.segment === '');
  const points = timePoints(series);
  const undated = series.filter((o) => !o.period);
  const target = measure.target;
  const nameText = planField(measure.content, 'name');
  const unitText = planField(measure.content, 'unit');
  const name = nameText?.text ?? measure.name ?? unitText?.text ?? measure.unit ?? '—';

  const first = points[0]?.date.getTime() ?? 0;
  const last = points[points.length - 1]?.date.getTime() ?? 0;
  // One value alone sits in the middle of a year.
  const halfYear = 182 * 86_400_000;
  const x =
    first === last
      ? timeScale(new Date(first - halfYear), new Date(last + halfYear), [MARGIN.left, width - MARGIN.right])
      : timeScale(new Date(first), new Date(last), [MARGIN.left, width - MARGIN.right]);
  const values = points.map((p) => p.value);
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(1, target ?? 0, ...values)])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const xTicks = x.ticks(Math.max(2, Math.floor((width - MARGIN.left - MARGIN.right) / 90)));
  const tickLabel = timeTickFormat(locale, xTicks);
  const path = line<TimePoint>()
    .x((p) => x(p.date))
    .y((p) => y(p.value));
  const runs = runsWithoutGaps(points);
  let lastLabelled = Number.NEGATIVE_INFINITY;
  const labelled = new Set<string>();
  for (const [i, p] of points.entries()) {
    const at = x(p.date);
    const isLast = i === points.length - 1;
    if (at - lastLabelled >= MIN_LABEL_GAP || isLast) {
      if (isLast && at - lastLabelled < MIN_LABEL_GAP && points[i - 1]) labelled.delete(points[i - 1]?.id as string);
      labelled.add(p.id);
      lastLabelled = at;
    }
  }
  const chartName = target != null ? t('chart.labelWithTarget', { name }) : t('chart.label', { name });
  const byId = new Map(series.map((o) => [o.id, o]));
  const annotated = series.some((o) => o.label || o.note);
  // An observation's label (how the source names the value) and note, in the reader's language.
  const observationText = (o: (typeof series)[number] | undefined, field: 'label' | 'note') => {
    const original = o?.[field];
    return o && original ? (
      <PlanText key={field} as="span" item={planField(o.content, field)} fallback={original} />
    ) : null;
  };

  return (
    <figure className="measure measure-chart">
      <figcaption>
        <strong>{nameText ? <PlanText as="span" item={nameText} fallback={name} /> : name}</strong>
        {measure.unit ? (
          <span className="muted">
            {' '}
            · {t('chart.unit')} <PlanText as="span" item={unitText} fallback={measure.unit} />
          </span>
        ) : null}
        {target != null ? <span> · {t('measure.target', { value: format(target) })}</span> : null}
        {target == null && measure.targetLabel ? (
          <span>
            {' '}
            · <PlanText as="span" item={planField(measure.content, 'targetLabel')} fallback={measure.targetLabel} />
          </span>
        ) : null}
      </figcaption>
      {series.length === 0 ? <p className="muted">{t('measure.noData')}</p> : null}
      <div ref={frame} className="chart-frame" style={{ width: '100%', maxWidth: '48rem' }}>
        {points.length > 0 ? (
          <svg
            width={width}
            height={HEIGHT}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            role="img"
            aria-label={chartName}
            style={{ display: 'block', maxWidth: '100%', height: 'auto' }}
            data-first={points[0]?.period}
            data-last={points[points.length - 1]?.period}
          >
            <g className="y-axis" fontSize={11} fill="#4a4a4a">
              {y.ticks(4).map((tick) => (
                <g key={tick}>
                  <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="#e3e7eb" />
                  <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end">
                    {format(tick)}
                  </text>
                </g>
              ))}
            </g>
            <g className="x-axis" fontSize={11} fill="#4a4a4a">
              <line
                x1={MARGIN.left}
                x2={width - MARGIN.right}
                y1={HEIGHT - MARGIN.bottom}
                y2={HEIGHT - MARGIN.bottom}
                stroke="#4a4a4a"
              />
              {xTicks.map((tick, i) => (
                <g key={tick.getTime()}>
                  <line
                    x1={x(tick)}
                    x2={x(tick)}
                    y1={HEIGHT - MARGIN.bottom}
                    y2={HEIGHT - MARGIN.bottom + 4}
                    stroke="#4a4a4a"
                  />
                  <text
                    className="tick"
                    x={x(tick)}
                    y={HEIGHT - MARGIN.bottom + 17}
                    textAnchor={i === 0 && x(tick) - MARGIN.left < 30 ? 'start' : 'middle'}
                  >
                    {tickLabel(tick)}
                  </text>
                </g>
              ))}
            </g>
            {runs.slice(1).map((run, i) => {
              const before = runs[i]?.at(-1) as TimePoint;
              const gapStart = x(before.date);
              const gapEnd = x((run[0] as TimePoint).date);
              return (
                <g key={before.id} className="gap">
                  <rect
                    x={gapStart + 4}
                    y={MARGIN.top}
                    width={Math.max(0, gapEnd - gapStart - 8)}
                    height={HEIGHT - MARGIN.top - MARGIN.bottom}
                    fill="#f4f6f8"
                  />
                  {gapEnd - gapStart > 80 ? (
                    <text
                      x={(gapStart + gapEnd) / 2}
                      y={HEIGHT - MARGIN.bottom - 8}
                      textAnchor="middle"
                      fontSize={11}
                      fill="#4a4a4a"
                    >
                      {t('chart.noValues')}
                    </text>
                  ) : null}
                </g>
              );
            })}
            {target != null ? (
              <g className="target-line">
                <line
                  x1={MARGIN.left}
                  x2={width - MARGIN.right}
                  y1={y(target)}
                  y2={y(target)}
                  stroke="#a4001d"
                  strokeWidth={2}
                  strokeDasharray="6 4"
                />
                <text x={width - MARGIN.right} y={y(target) - 5} textAnchor="end" fontSize={11} fill="#a4001d">
                  {t('measure.target', { value: format(target) })}
                </text>
              </g>
            ) : null}
            {runs.map((run) => (
              <path
                key={run[0]?.id}
                d={path(run) ?? ''}
                fill="none"
                stroke="#0b4f8a"
                strokeWidth={2}
                className="series"
              />
            ))}
            {points.map((p) => (
              <g key={p.id}>
                <circle
                  className="point"
                  cx={x(p.date)}
                  cy={y(p.value)}
                  r={3.5}
                  fill="#0b4f8a"
                  data-period={p.period}
                  data-time={p.date.getTime()}
                />
                {labelled.has(p.id) ? (
                  <text
                    className="value-label"
                    x={x(p.date)}
                    y={y(p.value) - 8}
                    textAnchor={x(p.date) > width - MARGIN.right - 20 ? 'end' : 'middle'}
                    fontSize={11}
                    fill="#1a1a1a"
                  >
                    {format(p.value)}
                  </text>
                ) : null}
              </g>
            ))}
          </svg>
        ) : null}
      </div>
      {series.length > 0 ? (
        <details>
          <summary>{t('measure.tableCaption', { name })}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('measure.period')}</th>
                <th scope="col">{t('measure.value')}</th>
                {annotated ? <th scope="col">{t('chart.observationNote')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {[...undated, ...points].map((p) => {
                const o = byId.get(p.id);
                const label = observationText(o, 'label');
                const note = observationText(o, 'note');
                return (
                  <tr key={p.id}>
                    <td>{p.period ? period(p.period) : (label ?? '—')}</td>
                    <td>{format(p.value)}</td>
                    {annotated ? (
                      <td className="observation-note">
                        {p.period && label ? label : null}
                        {p.period && label && note ? ' · ' : null}
                        {note}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
              {target != null ? (
                <tr>
                  <th scope="row">{t('chart.targetRow')}</th>
                  <td>{format(target)}</td>
                  {annotated ? <td /> : null}
                </tr>
              ) : null}
            </tbody>
          </table>
          {undated.length > 0 ? <p className="muted">{t('chart.undated')}</p> : null}
        </details>
      ) : null}
    </figure>
  );
}
