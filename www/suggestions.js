// Realistic targets: per target, its history as a sparkline with the goal, and the goals its own
// history supports at three confidence levels, with their risk and credit cost — each one
// click from the terms. Every figure is the core's.
import { element, svg } from './dom.js';
import { amount } from './credits.js';
import { count, value } from './format.js';

const LEVEL_NAMES = { current: 'Current goal', safe: 'Safe (met 90 % of the time)', balanced: 'Balanced (75 %)', stretch: 'Stretch (50 %)' };
const PERIOD_NOUNS = { isoWeek: 'week', month: 'month', day: 'day' };

/** The history as a line, with the current goal dashed across it. */
function sparkline(target) {
  const points = target.history.filter((point) => point.value !== null);
  const width = 260;
  const height = 60;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'sparkline', role: 'img',
    'aria-label': `History of ${target.label}` });
  if (points.length < 2) return root;
  const values = [...points.map((point) => point.value), target.goal];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const y = (v) => height - 6 - ((v - low) / (high - low || 1)) * (height - 12);
  const x = (index) => 4 + (index / (points.length - 1)) * (width - 8);
  root.append(svg('line', { x1: 0, x2: width, y1: y(target.goal), y2: y(target.goal), class: 'goal' }));
  root.append(svg('polyline', { points: points.map((point, index) => `${x(index)},${y(point.value)}`).join(' '), class: 'history' }));
  points.forEach((point, index) => {
    root.append(svg('circle', { cx: x(index), cy: y(point.value), r: 2.5, class: point.status }));
  });
  return root;
}

function candidateRow(body, target, candidate, currency, onApply) {
  const row = body.insertRow();
  row.className = candidate.level;
  const cells = [
    LEVEL_NAMES[candidate.level] ?? candidate.level,
    `${target.direction === 'atLeast' ? '≥' : '≤'} ${value(candidate.goal, target.unit)}`,
    `${count(candidate.met)} of ${count(candidate.judged)}`,
    candidate.breachProbability === null ? '—' : `${value(candidate.breachProbability, 'percent')}`,
    candidate.expectedCredit === null ? '—' : amount(candidate.expectedCredit, currency),
    candidate.worstCredit === null ? '—' : amount(candidate.worstCredit, currency),
  ];
  cells.forEach((text, index) => {
    const cell = row.insertCell();
    cell.textContent = text;
    if (index > 1) cell.className = 'num';
  });
  const action = row.insertCell();
  if (candidate.level !== 'current') {
    const apply = element('button', 'secondary apply', 'Apply');
    apply.type = 'button';
    apply.setAttribute('aria-label', `Apply ${candidate.level} goal to ${target.label}`);
    apply.addEventListener('click', () => onApply(target.target, candidate.goal));
    action.append(apply);
  }
}

/** Renders the suggestions into `container`; `onApply(targetIndex, goal)` puts a goal in the terms. */
export function renderSuggestions(container, suggestions, currency, onApply) {
  container.replaceChildren();
  for (const target of suggestions) {
    const card = element('article', 'suggestion');
    card.append(element('h3', null, target.label));
    const noun = PERIOD_NOUNS[target.historyPeriod] ?? 'period';
    const summary = target.summary;
    const facts = summary
      ? `${summary.periods} ${noun}s of history: median ${value(summary.median, target.unit)}, mean ${value(summary.mean, target.unit)}, `
        + `best ${value(summary.best, target.unit)}, worst ${value(summary.worst, target.unit)} — ${summary.trend}.`
      : `No judged ${noun} in the history.`;
    const head = element('div', 'suggestion-head');
    head.append(sparkline(target), element('p', 'history-facts', facts));
    card.append(head);
    if (target.notSuggestedBecause) {
      card.append(element('p', 'hint', target.notSuggestedBecause));
    }
    const table = element('table', 'candidates');
    const titles = ['', 'Goal', `Met (${noun}s)`, 'Breach risk', 'Expected credit / period', 'Worst period', ''];
    const headRow = table.createTHead().insertRow();
    for (const title of titles) headRow.append(element('th', null, title));
    const body = table.createTBody();
    for (const candidate of [target.current, ...target.suggestions]) {
      candidateRow(body, target, candidate, currency, onApply);
    }
    card.append(table);
    if (target.bufferGoal !== null) {
      const buffer = element('p', 'hint',
        `Buffer rule: the historical mean with one step of buffer is ${target.direction === 'atLeast' ? '≥' : '≤'} ${value(target.bufferGoal, target.unit)}. `);
      const apply = element('button', 'secondary apply', 'Apply');
      apply.type = 'button';
      apply.setAttribute('aria-label', `Apply buffer goal to ${target.label}`);
      apply.addEventListener('click', () => onApply(target.target, target.bufferGoal));
      buffer.append(apply);
      card.append(buffer);
    }
    container.append(card);
  }
}
