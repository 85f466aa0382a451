// The credits panel: per billing period, bars of credits against the cap with the bonus, and
// the table of every amount with the core's explanation. Amounts arrive as exact decimal text;
// numbers are taken from them only to size the bars.
import { element, svg } from './dom.js';

/** `2,000.00 EUR`: the core's exact decimal text, grouped for reading. */
export function amount(text, currency) {
  const [whole, fraction] = text.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = text.startsWith('-') ? '−' : '';
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}${currency ? ` ${currency}` : ''}`;
}

function chart(report) {
  const periods = report.periods.filter((period) => period.fee !== null);
  const step = 96;
  const width = Math.max(560, periods.length * step + 70);
  const height = 230;
  const base = height - 30;
  const top = 48;
  const highest = Math.max(1, ...periods.flatMap((period) => [
    Number(period.creditsBeforeCap), Number(period.cap ?? 0), Number(period.bonus),
  ]));
  const scale = (value) => (Number(value) / highest) * (base - top);
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'credits-chart',
    'aria-label': 'Credits per period against the cap, with the bonus',
  });
  root.append(svg('line', { x1: 40, x2: width - 10, y1: base, y2: base, class: 'axis' }));
  periods.forEach((period, index) => {
    const x = 60 + index * step;
    if (Number(period.creditsBeforeCap) > Number(period.credits)) {
      const over = scale(period.creditsBeforeCap);
      root.append(svg('rect', { x, y: base - over, width: 36, height: over, class: 'bar over-cap' }));
    }
    const credits = scale(period.credits);
    const bar = svg('rect', { x, y: base - credits, width: 36, height: credits, class: 'bar credits' });
    bar.append(svg('title', {}, `${period.period}: credits ${amount(period.credits, report.currency)}`));
    root.append(bar);
    if (period.cap !== null) {
      const capY = base - scale(period.cap);
      root.append(svg('line', { x1: x - 6, x2: x + 42, y1: capY, y2: capY, class: 'cap' }));
    }
    const bonus = scale(period.bonus);
    const bonusBar = svg('rect', { x: x + 40, y: base - bonus, width: 20, height: bonus, class: 'bar bonus' });
    bonusBar.append(svg('title', {}, `${period.period}: bonus ${amount(period.bonus, report.currency)}`));
    root.append(bonusBar);
    root.append(svg('text', { x: x + 30, y: base - Math.max(credits, bonus) - 6, class: 'value' },
      Number(period.credits) > 0 ? `−${amount(period.credits)}` : ''));
    if (Number(period.bonus) > 0) {
      root.append(svg('text', { x: x + 50, y: base - bonus - 18, class: 'value bonus' }, `+${amount(period.bonus)}`));
    }
    root.append(svg('text', { x: x + 30, y: height - 10, class: 'label' }, period.period));
  });
  const legend = [['credits', 'credits after the cap'], ['over-cap', 'cut by the cap'], ['bonus', 'bonus']];
  legend.forEach(([kind, text], index) => {
    const x = 60 + index * 150;
    root.append(svg('rect', { x, y: 6, width: 12, height: 12, class: `bar ${kind}` }));
    root.append(svg('text', { x: x + 18, y: 16, class: 'legend' }, text));
  });
  root.append(svg('line', { x1: 510, x2: 534, y1: 12, y2: 12, class: 'cap' }));
  root.append(svg('text', { x: 540, y: 16, class: 'legend' }, 'cap'));
  return root;
}

function row(body, cells, className) {
  const tr = body.insertRow();
  if (className) tr.className = className;
  cells.forEach(([text, cellClass]) => {
    const td = tr.insertCell();
    td.textContent = text;
    if (cellClass) td.className = cellClass;
  });
}

function table(report) {
  const currency = report.currency ?? '';
  const result = element('table', 'credits-table');
  result.createCaption().textContent = 'Every amount, with its arithmetic';
  const head = result.createTHead().insertRow();
  for (const title of ['Period', 'Item', 'Amount', 'Explanation']) head.append(element('th', null, title));
  const body = result.createTBody();
  for (const period of report.periods) {
    for (const line of period.lines) {
      const state = line.status === 'notJudged' ? 'not judged' : line.earnBack === 'none' ? 'due' : line.earnBack;
      row(body, [[period.period], [`${line.label} · ${line.period} (${state})`],
        [`−${amount(line.amount, currency)}`, 'num'], [line.explanation, 'why']], `line ${state.replace(' ', '-')}`);
    }
    if (period.capExplanation) {
      row(body, [[period.period], ['Cap'], [`−${amount(period.credits, currency)}`, 'num'], [period.capExplanation, 'why']]);
    }
    if (report.bonusInTerms) {
      row(body, [[period.period], ['Bonus'], [amount(period.bonus, currency), 'num'], [period.bonusExplanation, 'why']]);
    }
    row(body, [[period.period], ['Net invoice'], [period.fee === null ? '—' : amount(period.net, currency), 'num'],
      [period.netExplanation, 'why']], 'net');
  }
  return result;
}

/** Renders the credits of `report` into `container`, or a hint when the terms have none. */
export function renderCredits(container, report) {
  container.replaceChildren();
  const credits = report.credits;
  if (!credits) {
    container.append(element('p', 'hint',
      'The terms have no money clauses. Give a target a "credit" rule and the terms a "feePerPeriod" — or start from a "Credits" example — to see what each miss costs.'));
    return false;
  }
  const { totals } = credits;
  const currency = credits.currency ?? '';
  const summary = element('div', 'credit-totals');
  const facts = [
    ['Fees', amount(totals.fees, currency)],
    ['Credits', `−${amount(totals.credits, currency)}`],
    ['of which pending earn-back', amount(totals.pending, currency)],
    ['Bonus', amount(totals.bonus, currency)],
    ['Net', amount(totals.net, currency)],
    ['Net per year', amount(totals.annualised.net, currency)],
  ];
  for (const [term, value] of facts) {
    const fact = element('div', 'fact');
    fact.append(element('span', 'term', term), element('span', 'figure', value));
    summary.append(fact);
  }
  summary.title = `${totals.periods} priced periods; per year: ${totals.annualised.explanation}`;
  container.append(summary, chart(credits), table(credits));
  return true;
}
