// The view: reads the inputs, asks the worker, and renders what the core returns. No SLA
// arithmetic here — only formatting of the figures the core computed.
import { SlacalcClient } from './client.js';

const client = new SlacalcClient(new URL('./worker.js', import.meta.url));
const element = (id) => document.getElementById(id);
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const percent = (value) => (value === null ? 'no data' : `${oneDecimal.format(value)} %`);
const seconds = (value) => (value === null ? 'no data' : `${oneDecimal.format(value)} s`);

function termsFromInputs() {
  return {
    version: 1,
    targets: [{
      metric: 'serviceLevel',
      goal: element('sl-goal').valueAsNumber,
      thresholdSecs: element('sl-threshold').valueAsNumber,
    }],
  };
}

function showError(message) {
  element('error').textContent = message;
  element('error').hidden = message === null;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function verdictText(result, unit) {
  const unitName = unit === 'percent' ? 'pts' : 's';
  const margin = result.margin === null ? '' : ` (${result.margin >= 0 ? '+' : '−'}${oneDecimal.format(Math.abs(result.margin))} ${unitName})`;
  switch (result.status) {
    case 'met': return `✓ met${margin}`;
    case 'missed': return `✗ missed${margin}`;
    default: return `– not judged: ${result.notJudgedBecause}`;
  }
}

function renderQuality({ rowsRead, rowsUsed, rowsSkipped, skipped }) {
  const box = element('quality');
  box.replaceChildren();
  const summary = document.createElement('p');
  summary.textContent = `${number.format(rowsRead)} rows read · ${number.format(rowsUsed)} used · ${number.format(rowsSkipped)} skipped`;
  box.append(summary);
  if (skipped.length) {
    const list = document.createElement('ul');
    for (const group of skipped) {
      const item = document.createElement('li');
      item.textContent = group.message;
      list.append(item);
    }
    box.append(list);
  }
}

function renderReport(report) {
  const body = element('results').tBodies[0];
  body.replaceChildren();
  const [serviceLevel] = report.targets;
  report.periods.forEach((period, index) => {
    const result = serviceLevel.results[index];
    const row = body.insertRow();
    cell(row, period.period);
    cell(row, number.format(period.offered), 'num');
    cell(row, number.format(period.answered), 'num');
    cell(row, number.format(period.abandoned), 'num');
    cell(row, percent(result.actual), 'num');
    cell(row, verdictText(result, serviceLevel.unit), `verdict ${result.status}`);
    cell(row, seconds(period.asaSecs), 'num');
    cell(row, percent(period.abandonmentRate), 'num');
  });
  element('results-caption').textContent = `${serviceLevel.label}, per calendar month (UTC)`;
}

async function run(task) {
  element('busy').hidden = false;
  try {
    showError(null);
    await task();
  } catch (error) {
    showError(error.message);
  } finally {
    element('busy').hidden = true;
  }
}

async function recompute() {
  renderReport(await client.report(termsFromInputs()));
}

function loadAndCompute() {
  return run(async () => {
    element('results').tBodies[0].replaceChildren();
    element('quality').replaceChildren();
    const { quality } = await client.load(element('contacts').value);
    renderQuality(quality);
    await recompute();
  });
}

async function useSample() {
  const response = await fetch(new URL('./sample/contacts.csv', import.meta.url));
  element('contacts').value = await response.text();
  await loadAndCompute();
}

element('compute').addEventListener('click', loadAndCompute);
element('use-sample').addEventListener('click', useSample);
element('file').addEventListener('change', async ({ target }) => {
  const [file] = target.files;
  if (!file) return;
  element('contacts').value = await file.text();
  await loadAndCompute();
});
for (const id of ['sl-goal', 'sl-threshold']) {
  element(id).addEventListener('change', () => run(recompute));
}

useSample();
