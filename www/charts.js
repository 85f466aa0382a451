// The report's charts, drawn as SVG by hand: each target's value per period against its goal
// line, and the cumulative wait curves with the service-level threshold. SVG prints sharply
// and needs no library: a few kilobytes of code for charts of at most a few hundred points.
// Values, verdicts and curves arrive computed by the core; this only places them.
import { element, svg } from './dom.js';
import { seconds, value } from './format.js';

const STATUS_TEXT = { met: 'met', missed: 'missed', notJudged: 'not judged' };
// Each chart's drawing size and the margins its axis labels need (SVG units; it scales to fit).
const TREND_FRAME = { width: 300, height: 150, left: 50, right: 12, top: 14, bottom: 28 };
const WAITS_FRAME = { width: 620, height: 260, left: 48, right: 16, top: 16, bottom: 40 };

/** A scale from `[low, high]` to `[from, to]`. */
function linear([low, high], [from, to]) {
  const span = high - low || 1;
  return (x) => from + ((x - low) / span) * (to - from);
}

/** The value range a target's chart shows: its values and goal with some room around them. */
function valueRange(target) {
  const values = target.results.map((result) => result.actual).filter((actual) => actual !== null);
  const low = Math.min(target.goal, ...values);
  const high = Math.max(target.goal, ...values);
  const room = (high - low) * 0.15 || Math.abs(high) * 0.1 || 1;
  const floor = target.unit === 'seconds' || target.unit === 'percent' ? 0 : -Infinity;
  const ceiling = target.unit === 'percent' ? 100 : Infinity;
  return [Math.max(floor, low - room), Math.min(ceiling, high + room)];
}

/** A verdict's mark: a filled dot for met, a cross for missed, a ring for not judged. */
function mark(status, x, y) {
  if (status === 'missed') {
    const d = 4.5;
    return svg('path', { d: `M${x - d} ${y - d}L${x + d} ${y + d}M${x - d} ${y + d}L${x + d} ${y - d}`, class: 'mark missed' });
  }
  return svg('circle', { cx: x, cy: y, r: 4.5, class: `mark ${status}` });
}

/** One target's values per period with its goal as a dashed line. */
function trendChart(target) {
  const { width, height, left, right, top, bottom } = TREND_FRAME;
  const results = target.results;
  const x = linear([0, Math.max(1, results.length - 1)], [left + 8, width - right - 8]);
  const [low, high] = valueRange(target);
  const y = linear([low, high], [height - bottom, top]);
  const met = results.filter((result) => result.status === 'met').length;
  const judged = results.filter((result) => result.status !== 'notJudged').length;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'trend-chart', role: 'img',
    'aria-label': `${target.label}: met in ${met} of ${judged} judged periods; goal ${value(target.goal, target.unit)}`,
  });
  root.append(svg('line', { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  for (const tick of [low, high]) {
    root.append(svg('text', { x: left - 6, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' }, value(tick, target.unit)));
  }
  const goalY = y(target.goal);
  root.append(svg('line', { x1: left, x2: width - right, y1: goalY, y2: goalY, class: 'goal-line' }));
  root.append(svg('text', { x: width - right, y: goalY - 4, class: 'goal-label', 'text-anchor': 'end' }, `goal ${value(target.goal, target.unit)}`));
  const points = results
    .map((result, index) => ({ result, cx: x(index) }))
    .filter(({ result }) => result.actual !== null);
  if (points.length > 1) {
    const d = points.map(({ result, cx }, index) => `${index ? 'L' : 'M'}${cx} ${y(result.actual)}`).join('');
    root.append(svg('path', { d, class: 'trend' }));
  }
  for (const { result, cx } of points) {
    const shape = mark(result.status, cx, y(result.actual));
    shape.append(svg('title', {}, `${result.period}: ${value(result.actual, target.unit)}, ${STATUS_TEXT[result.status]}`));
    root.append(shape);
  }
  // Every period's name when they fit, else the first and the last.
  const labelled = results.length <= 6 ? results.map((_, index) => index) : [0, results.length - 1];
  for (const index of labelled) {
    const anchor = results.length === 1 ? 'middle' : index === 0 ? 'start' : index === results.length - 1 ? 'end' : 'middle';
    root.append(svg('text', { x: x(index), y: height - 10, class: 'tick', 'text-anchor': anchor }, results[index].period));
  }
  return root;
}

/** One small chart per target: its value in each period against its goal. */
export function renderTrends(container, report) {
  container.replaceChildren();
  for (const target of report.targets) {
    const figure = element('figure', 'trend');
    figure.append(element('figcaption', null, target.label), trendChart(target));
    container.append(figure);
  }
}

/** The answered and abandoned wait curves, the threshold as a vertical line. */
export function renderWaits(container, waits) {
  container.replaceChildren();
  const { answered, abandoned, thresholdSecs } = waits;
  if (!answered.contacts && !abandoned.contacts) {
    container.append(element('p', 'hint', 'No waits to chart: the data has no wait or outcome column, or no contact with both.'));
    return;
  }
  const { width, height, left, right, top, bottom } = WAITS_FRAME;
  // The axis runs to the 99th percentile of answered waits (at least past the threshold), so
  // one very long wait does not squash the curve; longer waits are drawn at the edge.
  const reference = answered.contacts ? answered : abandoned;
  const p99 = reference.points.find(([, percent]) => percent >= 99)?.[0] ?? reference.points.at(-1)[0];
  const longest = Math.max(1, p99, (thresholdSecs ?? 0) * 1.5);
  const x = linear([0, longest], [left, width - right]);
  const y = linear([0, 100], [height - bottom, top]);
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'waits-chart', role: 'img',
    'aria-label': 'Share of contacts that waited at most each number of seconds',
  });
  for (const percent of [0, 25, 50, 75, 100]) {
    root.append(svg('line', { x1: left, x2: width - right, y1: y(percent), y2: y(percent), class: 'grid' }));
    root.append(svg('text', { x: left - 6, y: y(percent) + 4, class: 'tick', 'text-anchor': 'end' }, `${percent} %`));
  }
  for (const tick of [0, longest / 2, longest]) {
    root.append(svg('text', { x: x(tick), y: height - bottom + 16, class: 'tick', 'text-anchor': 'middle' }, seconds(tick)));
  }
  root.append(svg('text', { x: (left + width - right) / 2, y: height - 6, class: 'axis-title', 'text-anchor': 'middle' }, 'waited at most (seconds)'));
  const curve = (points, className, name) => {
    if (!points.length) return;
    // A step curve: the share is flat until the next wait value.
    let d = `M${x(0)} ${y(0)}`;
    let previous = 0;
    for (const [waited, percent] of points) {
      const cx = x(Math.min(waited, longest));
      d += `L${cx} ${y(previous)}L${cx} ${y(percent)}`;
      previous = percent;
    }
    d += `L${x(longest)} ${y(previous)}`;
    const path = svg('path', { d, class: `curve ${className}` });
    path.append(svg('title', {}, name));
    root.append(path);
  };
  curve(answered.points, 'answered', `Answered: ${answered.contacts} contacts`);
  curve(abandoned.points, 'abandoned', `Abandoned: ${abandoned.contacts} contacts`);
  if (thresholdSecs !== null) {
    const tx = x(thresholdSecs);
    root.append(svg('line', { x1: tx, x2: tx, y1: top, y2: height - bottom, class: 'threshold' }));
    root.append(svg('text', { x: tx + 4, y: top + 10, class: 'goal-label' }, `threshold ${seconds(thresholdSecs)}`));
  }
  const legend = element('ul', 'legend');
  const describe = (curveData, className, noun) => {
    if (!curveData.contacts) return;
    const within = curveData.withinThresholdPercent === null ? ''
      : ` · ${value(curveData.withinThresholdPercent, 'percent')} within ${seconds(thresholdSecs)}`;
    // An interval report counts waits only at its edges: its points, not a median, are known.
    const spread = curveData.countedAtEdges
      ? `counted within ${curveData.points.length === 1 ? 'one wait' : `${curveData.points.length} waits`} (the report's edges)`
      : `median ${value(curveData.medianSecs, 'seconds')} · 90th percentile ${value(curveData.p90Secs, 'seconds')}`;
    const item = element('li', className, `${noun}: ${curveData.contacts.toLocaleString()} contacts · ${spread}${within}`);
    legend.append(item);
  };
  describe(answered, 'answered', 'Answered (solid)');
  describe(abandoned, 'abandoned', 'Abandoned, time to hang up (dashed)');
  container.append(root, legend);
}
