// The scorecard: rows = targets, columns = periods, one table per period length; each cell
// shows the value and margin the core computed, and a click explains it with the core's own
// arithmetic. Text only via textContent: labels come from the user's terms.
import { element } from './dom.js';
import { count, margin, periodName, value } from './format.js';

const STATUS_WORDS = { met: '✓ met', missed: '✗ missed', notJudged: '– not judged' };

/** Targets grouped by their period length, in the order of their first target. */
function byPeriod(targets) {
  const groups = new Map();
  targets.forEach((target, index) => {
    if (!groups.has(target.period)) groups.set(target.period, []);
    groups.get(target.period).push({ target, index });
  });
  return groups;
}

function scoreCell(target, result, onSelect) {
  const td = element('td', `cell ${result.status}`);
  const button = element('button');
  button.type = 'button';
  button.append(element('span', 'value', value(result.actual, target.unit)));
  const detail = result.status === 'notJudged'
    ? 'not judged'
    : margin(result.margin, target.unit);
  button.append(element('span', 'margin', detail));
  button.title = result.status === 'notJudged' ? result.notJudgedBecause : STATUS_WORDS[result.status];
  button.setAttribute('aria-label', `${target.label}, ${result.period}: ${value(result.actual, target.unit)}, ${STATUS_WORDS[result.status]} ${detail}`);
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', () => onSelect(target, result, button));
  td.append(button);
  return td;
}

/** Renders one scorecard table per period length into `container`. */
export function renderScorecards(container, report, onSelect) {
  container.replaceChildren();
  const select = (target, result, button) => {
    container.querySelector('button[aria-pressed="true"]')?.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-pressed', 'true');
    onSelect(target, result);
  };
  for (const [kind, entries] of byPeriod(report.targets)) {
    const periods = entries[0].target.results.map((result) => result.period);
    const wrapper = element('div', 'scorecard-scroll');
    const table = element('table', 'scorecard');
    table.dataset.period = kind;
    table.createCaption().textContent = `${periodName(kind)} · ${entries.length} target${entries.length === 1 ? '' : 's'}`;
    const head = table.createTHead().insertRow();
    head.append(element('th', 'target-head', 'Target'));
    for (const period of periods) {
      const th = element('th', 'period', period);
      th.scope = 'col';
      head.append(th);
    }
    const body = table.createTBody();
    for (const { target } of entries) {
      const row = body.insertRow();
      const th = element('th', 'target', target.label);
      th.scope = 'row';
      for (const note of target.notes) th.append(element('span', 'note', note));
      row.append(th);
      for (const result of target.results) row.append(scoreCell(target, result, select));
    }
    wrapper.append(table);
    container.append(wrapper);
  }
  if (!report.targets.length) {
    container.append(element('p', 'hint', 'The terms have no targets: add one to see a scorecard.'));
  }
}

function fact(list, term, description) {
  list.append(element('dt', null, term), element('dd', null, description));
}

/** Explains one cell in `panel`: verdict, the arithmetic with its counts, and exclusions. */
export function renderExplanation(panel, target, result) {
  panel.replaceChildren();
  panel.hidden = false;
  const heading = element('h3', null, `${target.label} — ${result.period}`);
  const verdict = element('p', `verdict ${result.status}`);
  verdict.textContent = result.status === 'notJudged'
    ? `– Not judged: ${result.notJudgedBecause}`
    : `${STATUS_WORDS[result.status]}: ${value(result.actual, target.unit)} against a goal of ${target.direction === 'atLeast' ? '≥' : '≤'} ${value(target.goal, target.unit)} (${margin(result.margin, target.unit)})`;
  const facts = element('dl');
  fact(facts, 'Calculation', result.calculation);
  fact(facts, 'Definition', target.definition);
  fact(facts, 'Scope', target.scope);
  fact(facts, 'Contacts counted', count(result.contacts));
  const excluded = result.excluded.map((reason) => `${count(reason.contacts)} — ${reason.reason}`);
  fact(facts, 'Excluded', excluded.length ? excluded.join('; ') : 'none');
  const close = element('button', 'secondary close', 'Close');
  close.type = 'button';
  close.addEventListener('click', () => { panel.hidden = true; });
  panel.append(heading, verdict, facts, close);
  panel.scrollIntoView({ block: 'nearest' });
}
