// The view: reads the inputs, asks the worker, and renders what the core returns. No SLA
// arithmetic here — only formatting of the figures the core computed.
import { Cancelled, SlacalcClient } from './client.js';
import { count, periodName, value } from './format.js';
import { renderTrends, renderWaits } from './charts.js';
import { renderCredits } from './credits.js';
import { element as create } from './dom.js';
import { download } from './download.js';
import { renderImport } from './importview.js';
import { assetText, createWorker, keepOffline } from './platform.js';
import { renderExplanation, renderScorecards } from './scorecard.js';
import { shareLink, termsFromHash } from './share.js';
import { renderSuggestions } from './suggestions.js';
import { renderPeaks } from './peaks.js';
import { setupPushDown } from './pushdown.js';
import { renderTermsForm } from './termsform.js';

const element = (id) => document.getElementById(id);
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

function showError(id, message) {
  element(id).textContent = message ?? '';
  element(id).hidden = message === null;
}

function showProgress(text, fraction = null) {
  element('progress-text').textContent = text;
  if (fraction === null) element('progress').removeAttribute('value');
  else element('progress').value = fraction;
}

const client = new SlacalcClient(createWorker, {
  onProgress({ done, total }) {
    showProgress(`Reading the rows… ${Math.round((done / total) * 100)} % of ${megabytes(total)}`, done / total);
  },
  onRestart(reason) {
    clearReport();
    element('quality').replaceChildren();
    showError('error', reason === 'Cancelled.'
      ? 'Cancelled. The data was unloaded: paste, open a file or use the sample to go on.'
      : `${reason} Load your data again to go on.`);
  },
});

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
  const list = create('ul');
  for (const exclusion of exclusions) {
    list.append(create('li', null, `${exclusion.reason}: ${count(exclusion.contacts)} contacts (${exclusion.detail.join('; ') || 'nothing matched'})`));
  }
  box.append(create('h3', null, 'Excluded before any metric'), list);
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

// The units of the targets as the last report gave them, for the form's goal fields.
let lastUnits = null;

function renderReport(report) {
  const { name, timeZone } = report.agreement;
  element('report-title').textContent = `${name ?? 'Your agreement'} · periods in ${timeZone}`;
  element('explanation').hidden = true;
  renderScorecards(element('scorecards'), report, (target, result) => {
    renderExplanation(element('explanation'), target, result);
  });
  renderExclusions(report.exclusions);
  renderTrends(element('trends'), report);
  renderWaits(element('waits'), report.waits);
  renderQueue(report);
  element('credits-csv').disabled = !renderCredits(element('credits'), report);
  for (const id of ['report-csv', 'report-json', 'print']) element(id).disabled = false;
  lastUnits = report.targets.map((target) => target.unit);
  // The printed report states the terms it was computed under.
  element('terms-print').textContent = termsText();
}

function clearReport() {
  for (const id of ['scorecards', 'exclusions', 'report-title', 'trends', 'waits', 'credits', 'suggestions', 'peaks']) {
    element(id).replaceChildren();
  }
  for (const id of ['credits-csv', 'report-csv', 'report-json', 'print']) element(id).disabled = true;
  element('queue').tBodies[0].replaceChildren();
  element('explanation').hidden = true;
}

/** Runs `task` with the progress line shown; a cancelled task ends quietly. */
async function run(task, label = 'Computing…') {
  showProgress(label);
  element('busy').hidden = false;
  try {
    await task();
  } catch (error) {
    if (!(error instanceof Cancelled)) throw error;
  } finally {
    element('busy').hidden = true;
  }
}

// ---- Terms: the JSON text is the source; the form is drawn from it and writes back to it.

const catalog = client.catalog();
const termsText = () => element('terms').value;
const refreshPushDown = setupPushDown(client, termsText);

/** Puts `terms` (an object) into the editor as indented JSON. */
function writeTerms(terms) {
  element('terms').value = `${JSON.stringify(terms, null, 2)}\n`;
}

async function renderForm() {
  const container = element('terms-form');
  let terms;
  try {
    terms = JSON.parse(termsText());
  } catch (error) {
    container.replaceChildren(create('p', 'hint', `The form returns once the JSON below parses (${error.message}).`));
    return;
  }
  if (terms === null || typeof terms !== 'object' || Array.isArray(terms)) {
    container.replaceChildren(create('p', 'hint', 'The form returns once the JSON below is a terms object ({ … }).'));
    return;
  }
  const units = lastUnits?.length === terms.targets?.length ? lastUnits : null;
  renderTermsForm(container, terms, await catalog, units, (edited, redraw) => {
    writeTerms(edited);
    if (redraw) renderForm();
    recomputeSoon();
  });
}

/** New terms text from outside the editor (a template, a link, a file): shown and computed. */
async function setTerms(text) {
  element('terms').value = text;
  await renderForm();
  await run(recompute);
}

// Suggestions replay the history several times, so they are computed once asked for, and then
// kept current with every recompute; the heat map and staffing are cheap and always shown.
let suggestionsShown = false;

/** Puts `goal` into target `index` of the terms being edited, and recomputes. */
async function applyGoal(index, goal) {
  const terms = JSON.parse(termsText());
  terms.targets[index].goal = goal;
  writeTerms(terms);
  await renderForm();
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

/**
 * The heat map and staffing, always; the suggestions once asked for, with each busy hour also
 * staffed for the suggested service-level goals.
 */
async function refreshAnalysis(report) {
  const terms = termsText();
  let alternatives = [];
  if (suggestionsShown) {
    const suggestions = await client.suggest(terms);
    renderSuggestions(element('suggestions'), suggestions, report.credits?.currency ?? '', applyGoal);
    const serviceLevel = suggestions.find((target) => target.metric === 'serviceLevel');
    alternatives = serviceLevel?.suggestions ?? [];
  }
  const options = { ...capacityOptions(), goals: alternatives.map((candidate) => candidate.goal) };
  renderPeaks(element('peaks'), await client.peaks(terms, options), options.agents, alternatives);
}

// Set once data is loaded; a cancel or a crash unloads it.
let dataLoaded = false;

/** Recomputes under the terms in the editor; a refusal names the field and keeps the data. */
async function recompute() {
  if (!dataLoaded) return;
  try {
    const terms = termsText();
    const report = await client.report(terms);
    showError('terms-error', null);
    renderReport(report);
    await refreshAnalysis(report);
    await refreshPushDown();
  } catch (error) {
    if (error instanceof Cancelled) throw error;
    clearReport();
    showError('terms-error', error.message);
  }
}

// What-if: every edit that leaves valid JSON recomputes from the data already loaded. Checking
// that the text parses is only to stay quiet mid-keystroke; the core validates the terms.
let editTimer;
function recomputeSoon() {
  clearTimeout(editTimer);
  editTimer = setTimeout(() => {
    try {
      JSON.parse(termsText());
    } catch {
      return;
    }
    run(recompute);
  }, 300);
}

// ---- Data

// The user's import choices (a column mapped by hand, a date order), kept until new data comes.
let importOptions = {};
const importFields = client.fields();

/** Reads data with the current import options, shows the import, and recomputes. */
function readData(load) {
  return run(async () => {
    clearReport();
    dataLoaded = false;
    element('quality').replaceChildren();
    try {
      const loaded = await load(importOptions);
      dataLoaded = true;
      showError('error', null);
      renderImport(element('quality'), loaded, await importFields, importOptions, {
        remap(options) {
          importOptions = options;
          readData((chosen) => client.remap(chosen, termsText()));
        },
        async downloadSkipped() {
          download('slacalc-skipped-rows.csv', await client.skippedCsv());
        },
      });
    } catch (error) {
      if (error instanceof Cancelled) throw error;
      showError('error', error.message);
      return;
    }
    await recompute();
  }, 'Reading the data…');
}

function loadAndCompute() {
  importOptions = {};
  return readData((options) => client.load(element('contacts').value, options));
}

async function useSample() {
  element('contacts').value = await assetText('sample/contacts.csv');
  await loadAndCompute();
}

element('compute').addEventListener('click', loadAndCompute);
element('use-sample').addEventListener('click', useSample);
element('cancel').addEventListener('click', () => client.cancel());
// A file goes to the worker as a handle, and the worker streams its bytes into the core: no
// copy of the file is ever held. Past 200 MB the core counts its contacts for the terms as they
// are read instead of holding them, so no size is too big. Bytes, so the core can tell UTF-16
// and Latin-1 from UTF-8; the paste area is left for pasting.
element('file').addEventListener('change', async ({ target }) => {
  const [file] = target.files;
  if (!file) return;
  target.value = '';
  element('contacts').value = '';
  element('contacts').placeholder = `Read from ${file.name}. Paste here and press Compute to use other data.`;
  importOptions = {};
  await readData((options) => client.loadFile(file, options, termsText()));
});

// ---- Terms controls

// An explicit Apply supersedes the recompute a keystroke scheduled.
element('apply-terms').addEventListener('click', () => {
  clearTimeout(editTimer);
  run(recompute);
});
element('terms').addEventListener('input', () => {
  renderForm();
  recomputeSoon();
});
element('terms').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    clearTimeout(editTimer);
    run(recompute);
  }
});
element('terms-example').addEventListener('change', async () => {
  await setTerms(await assetText(element('terms-example').value));
});
element('terms-file').addEventListener('change', async ({ target }) => {
  const [file] = target.files;
  if (!file) return;
  target.value = '';
  await setTerms(await file.text());
  showNote(`Terms imported from ${file.name}.`);
});
element('export-terms').addEventListener('click', () => {
  let name = 'terms';
  try {
    name = JSON.parse(termsText()).name?.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || name;
  } catch {
    // Exported as typed, under the plain name.
  }
  download(`${name}.json`, termsText(), 'application/json');
});
element('share').addEventListener('click', async () => {
  const link = await shareLink(termsText());
  element('share-box').hidden = false;
  element('share-link').value = link;
  element('share-link').select();
  try {
    await navigator.clipboard.writeText(link);
    element('share-status').textContent = 'Copied to the clipboard.';
  } catch {
    element('share-status').textContent = 'Copy it from the box above.';
  }
});

/** A line under the terms controls: where the terms came from, or why a link failed. */
function showNote(text, warning = false) {
  element('terms-note').textContent = text;
  element('terms-note').classList.toggle('warning', warning);
  element('terms-note').hidden = false;
}

/** Terms from the page's link, if it carries any; otherwise the selected template. */
async function openingTerms() {
  try {
    const shared = await termsFromHash();
    if (shared !== null) {
      showNote('Terms restored from the link you opened.');
      return shared;
    }
  } catch (error) {
    showNote(error.message, true);
  }
  return assetText(element('terms-example').value);
}

window.addEventListener('hashchange', async () => {
  try {
    const shared = await termsFromHash();
    if (shared === null) return;
    await setTerms(shared);
    showNote('Terms restored from the link you opened.');
  } catch (error) {
    showNote(error.message, true);
  }
});

// ---- Suggestions, exports, print

for (const id of ['shrinkage', 'agents']) {
  element(id).addEventListener('change', () => run(recompute));
}
element('suggest').addEventListener('click', () => {
  suggestionsShown = true;
  return run(recompute);
});

/** Saves a file the core made under the terms being edited; a refusal shows as a terms error. */
function exportFile(id, name, type, make) {
  element(id).addEventListener('click', () => run(async () => {
    try {
      download(name, await make(termsText()), type);
    } catch (error) {
      if (error instanceof Cancelled) throw error;
      showError('terms-error', error.message);
    }
  }));
}
exportFile('report-csv', 'slacalc-report.csv', 'text/csv', (terms) => client.reportFile(terms, 'csv'));
exportFile('report-json', 'slacalc-report.json', 'application/json', (terms) => client.reportFile(terms, 'json'));
exportFile('credits-csv', 'slacalc-credits.csv', 'text/csv', (terms) => client.creditsCsv(terms));
element('print').addEventListener('click', () => window.print());

/** Puts a forecast CSV, read by the core, into the terms being edited, and recomputes. */
element('forecast-file').addEventListener('change', async ({ target }) => {
  const [file] = target.files;
  if (!file) return;
  target.value = '';
  let terms;
  try {
    terms = JSON.parse(termsText());
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
  writeTerms(terms);
  await renderForm();
  await run(recompute);
});

keepOffline();
try {
  element('terms').value = await openingTerms();
  await renderForm();
  await useSample();
} catch (error) {
  showError('error', error.message);
}
