// The only place the wasm runs in the page: parsing and computing never block the tab.
// Protocol: { id, type, ...payload } in; { id, ok: true, value } or { id, ok: false, error } out.
import init, { Dataset, forecastFromCsv, importFields } from './pkg/slacalc.js';

const ready = init();
let dataset = null;
// The last input, kept so a changed mapping re-reads it without the page sending it again.
let input = null;

/** Reads the held input with `options`, replacing the dataset. */
function open(options) {
  dataset?.free();
  // Cleared before parsing: if reading throws, no freed handle is left to be used.
  dataset = null;
  dataset = input.bytes ? Dataset.fromBytes(input.bytes, options) : Dataset.fromCsv(input.text, options);
  return { contactCount: dataset.contactCount, quality: dataset.quality() };
}

function loaded() {
  if (!dataset) throw new Error('No data loaded yet.');
  return dataset;
}

const handlers = {
  // Parse once and hold the contacts; later terms edits only call `report`.
  load({ text, bytes, options }) {
    input = bytes ? { bytes } : { text };
    return open(options);
  },
  remap({ options }) {
    if (!input) throw new Error('No data loaded yet.');
    return open(options);
  },
  report({ terms }) {
    return loaded().report(terms);
  },
  peaks({ terms, options }) {
    return loaded().peaks(terms, options);
  },
  suggest({ terms }) {
    return loaded().suggest(terms);
  },
  skippedCsv() {
    return loaded().skippedRowsCsv();
  },
  creditsCsv({ terms }) {
    return loaded().creditsCsv(terms);
  },
  forecast({ text }) {
    return forecastFromCsv(text);
  },
  fields() {
    return importFields();
  },
};

self.onmessage = async ({ data: { id, type, ...payload } }) => {
  try {
    await ready;
    const value = handlers[type](payload);
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    self.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
