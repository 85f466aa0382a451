// The view: reads the inputs, asks the worker, and renders what the core returns. No SLA
// arithmetic here — only formatting of the figures the core computed.
import { SlacalcClient } from './client.js';
import { count, periodName, value } from './format.js';
import { renderCredits } from './credits.js';
import { download } from './download.js';
import { renderImport } from './importview.js';
import { renderExplanation, renderScorecards } from './scorecard.js';
import { renderSuggestions } from './suggestions.js';
import { renderPeaks } from './peaks.js';

const client = new SlacalcClient(new URL('./worker.js', import.meta.url));
const element = (id) => document.getElementById(id);

function showError(id, message) {
  element(id).textContent = message ?? '';
  element(id).hidden = message === null;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderExclusions(exclusions) {
  const box = element('exclusions');
  box.replaceChildren();
  if (!exclusions.length) return;
  const heading = document.createElement('h3');
  heading.textContent = 'Excluded before any metric';
  const list = document.createElement('ul');
  for (const exclusion of exclusions) {
    const item = document.createElement('li');
    item.textContent = `${exclusion.reason}: ${count(exclusion.contacts)} contacts (${exclusion.detail.join('; ') || 'nothing matched'})`;
    list.append(item);
  }
  box.append(heading, list);
}

function renderQueue(report) {
  const body = element('queue').tBodies[0];
  body.replaceChildren();
  for (const period of report.periods) {
    const row = body.insertRow();
    cell(row, period.period);
    cell(row, count(period.contacts), 'num');
    cell(row, count(period.excluded), 'num');
    cell(row, count(period.offered), 'num');
    cell(row, count(period.answered), 'num');
    cell(row, count(period.abandoned), 'num');
    cell(row, value(period.asaSecs, 'seconds'), 'num');
    cell(row, value(period.abandonmentRate, 'percent'), 'num');
  }
  element('queue-caption').textContent = `Queue figures · ${periodName(report.agreement.period).toLowerCase()}`;
}

function renderReport(report) {
  const { name, timeZone } = report.agreement;
  element('report-title').textContent = `${name ?? 'Your agreement'} · periods in ${timeZone}`;
  element('explanation').hidden = true;
  renderScorecards(element('scorecards'), report, (target, result) => {
    renderExplanation(element('explanation'), target, result);
  });
  renderExclusions(report.exclusions);
  renderQueue(report);
  element('credits-csv').disabled = !renderCredits(element('credits'), report);
}

function clearReport() {
  for (const id of ['scorecards', 'exclusions', 'report-title', 'credits', 'suggestions', 'peaks']) {
    element(id).replaceChildren();
  }
  element('credits-csv').disabled = true;
  element('queue').tBodies[0].replaceChildren();
  element('explanation').hidden = true;
}

async function run(task) {
  element('busy').hidden = false;
  try {
    await task();
  } finally {
    element('busy').hidden = true;
  }
}

// Suggestions replay the history several times, so they are computed once asked for, and then
// kept current with every recompute.
let suggestionsShown = false;

/** Puts `goal` into target `index` of the terms being edited, and recomputes. */
async function applyGoal(index, goal) {
  const terms = JSON.parse(element('terms').value);
  terms.targets[index].goal = goal;
  element('terms').value = `${JSON.stringify(terms, null, 2)}\n`;
  await run(recompute);
}

/** Shrinkage and the "what would N agents give" question, as the core's capacity options. */
function capacityOptions() {
  const agents = element('agents').valueAsNumber;
  return {
    shrinkagePercent: Number.isFinite(element('shrinkage').valueAsNumber) ? element('shrinkage').valueAsNumber : 30,
    agents: Number.isInteger(agents) && agents > 0 ? agents : null,
  };
}

async function refreshSuggestions(report) {
  if (!suggestionsShown) return;
  const terms = element('terms').value;
  const suggestions = await client.suggest(terms);
  renderSuggestions(element('suggestions'), suggestions, report.credits?.currency ?? '', applyGoal);
  // Staff each hour for the suggested service-level goals too, beside the current one.
  const serviceLevel = suggestions.find((target) => target.metric === 'serviceLevel');
  const alternatives = serviceLevel?.suggestions ?? [];
  const options = { ...capacityOptions(), goals: alternatives.map((candidate) => candidate.goal) };
  renderPeaks(element('peaks'), await client.peaks(terms, options), options.agents, alternatives);
}

/** Recomputes under the terms in the editor; a refusal names the field and keeps the data. */
async function recompute() {
  try {
    const report = await client.report(element('terms').value);
    showError('terms-error', null);
    renderReport(report);
    await refreshSuggestions(report);
  } catch (error) {
    clearReport();
    showError('terms-error', error.message);
  }
}

// The user's import choices (a column mapped by hand, a date order), kept until new data comes.
let importOptions = {};
const importFields = client.fields();

/** Reads data with the current import options, shows the import, and recomputes. */
function readData(load) {
  return run(async () => {
    clearReport();
    element('quality').replaceChildren();
    try {
      const { quality } = await load(importOptions);
      showError('error', null);
      renderImport(element('quality'), quality, await importFields, importOptions, {
        remap(options) {
          importOptions = options;
          readData((chosen) => client.remap(chosen));
        },
        async downloadSkipped() {
          download('slacalc-skipped-rows.csv', await client.skippedCsv());
        },
      });
    } catch (error) {
      showError('error', error.message);
      return;
    }
    await recompute();
  });
}

function loadAndCompute() {
  importOptions = {};
  return readData((options) => client.load(element('contacts').value, options));
}

async function loadExample() {
  const response = await fetch(new URL(element('terms-example').value, import.meta.url));
  element('terms').value = await response.text();
}

async function useSample() {
  const response = await fetch(new URL('./sample/contacts.csv', import.meta.url));
  element('contacts').value = await response.text();
  await loadAndCompute();
}

element('compute').addEventListener('click', loadAndCompute);
element('use-sample').addEventListener('click', useSample);
// A file is read as bytes, so the core can tell UTF-16 and Latin-1 from UTF-8; the paste area
// is left for pasting.
element('file').addEventListener('change', async ({ target }) => {
  const [file] = target.files;
  if (!file) return;
  element('contacts').value = '';
  element('contacts').placeholder = `Read from ${file.name}. Paste here and press Compute to use other data.`;
  importOptions = {};
  const bytes = new Uint8Array(await file.arrayBuffer());
  await readData((options) => client.loadBytes(bytes, options));
});
element('apply-terms').addEventListener('click', () => run(recompute));
for (const id of ['shrinkage', 'agents']) {
  element(id).addEventListener('change', () => suggestionsShown && run(recompute));
}
element('suggest').addEventListener('click', () => {
  suggestionsShown = true;
  return run(recompute);
});
// What-if: every edit that leaves valid JSON recomputes from the data already loaded. Checking
// that the text parses is only to stay quiet mid-keystroke; the core validates the terms.
let editTimer;
element('terms').addEventListener('input', () => {
  clearTimeout(editTimer);
  editTimer = setTimeout(() => {
    try {
      JSON.parse(element('terms').value);
    } catch {
      return;
    }
    run(recompute);
  }, 300);
});
element('terms').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run(recompute);
  }
});

/** Saves the credits as CSV, computed by the core under the terms being edited. */
element('credits-csv').addEventListener('click', () => run(async () => {
  try {
    download('slacalc-credits.csv', await client.creditsCsv(element('terms').value));
  } catch (error) {
    showError('terms-error', error.message);
  }
}));
/** Puts a forecast CSV, read by the core, into the terms being edited, and recomputes. */
element('forecast-file').addEventListener('change', async ({ target }) => {
  const [file] = target.files;
  if (!file) return;
  target.value = '';
  await run(async () => {
    let terms;
    try {
      terms = JSON.parse(element('terms').value);
    } catch (error) {
      showError('terms-error', `Terms: fix the JSON before adding a forecast (${error.message})`);
      return;
    }
    try {
      terms.forecast = await client.forecast(await file.text());
    } catch (error) {
      showError('terms-error', error.message);
      return;
    }
    element('terms').value = `${JSON.stringify(terms, null, 2)}\n`;
    await recompute();
  });
});
element('terms-example').addEventListener('change', async () => {
  await loadExample();
  await run(recompute);
});

await loadExample();
await useSample();
