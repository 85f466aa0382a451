// The only place the wasm runs in the page: parsing and computing never block the tab.
// Protocol: { id, type, ...payload } in; { id, ok: true, value } or { id, ok: false, error }
// out, with `fatal: true` when the wasm itself failed (the page then starts a fresh worker);
// { progress: { phase, done, total } } while a load runs.
import init, { Dataset, forecastFromCsv, importFields, metricCatalog } from './pkg/slacalc.js';
import { wasmSource } from './wasm-source.js';

const ready = init(wasmSource === undefined ? undefined : { module_or_path: wasmSource });
let dataset = null;
// The last input, kept so a changed mapping re-reads it without the page sending it again.
let input = null;

function reportProgress(done, total) {
  self.postMessage({ progress: { phase: 'parsing', done, total } });
}

/** Reads the held input with `options`, replacing the dataset. */
function open(options) {
  dataset?.free();
  // Cleared before parsing: if reading throws, no freed handle is left to be used.
  dataset = null;
  dataset = input.bytes
    ? Dataset.fromBytes(input.bytes, options, reportProgress)
    : Dataset.fromCsv(input.text, options, reportProgress);
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
  reportFile({ terms, format }) {
    return format === 'csv' ? loaded().reportCsv(terms) : loaded().reportJson(terms);
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
  catalog() {
    return metricCatalog();
  },
};

self.onmessage = async ({ data: { id, type, ...payload } }) => {
  try {
    await ready;
    const value = handlers[type](payload);
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    // A trap (a Rust panic, memory exhausted) leaves the wasm instance unusable; a panic left
    // its message in `slacalcPanic` (see install_panic_hook in src/wasm.rs).
    const fatal = error instanceof WebAssembly.RuntimeError;
    const message = fatal && self.slacalcPanic ? self.slacalcPanic : error instanceof Error ? error.message : String(error);
    self.postMessage({ id, ok: false, error: message, fatal });
  }
};
