// The only place the wasm runs in the page: parsing and computing never block the tab.
// Protocol: { id, type, ...payload } in; { id, ok: true, value } or { id, ok: false, error } out.
import init, { Dataset, forecastFromCsv } from './pkg/slacalc.js';

const ready = init();
let dataset = null;

const handlers = {
  // Parse once and hold the contacts; later terms edits only call `report`.
  load({ text }) {
    dataset?.free();
    // Cleared before parsing: if fromCsv throws, no freed handle is left to be used.
    dataset = null;
    dataset = Dataset.fromCsv(text);
    return { contactCount: dataset.contactCount, quality: dataset.quality() };
  },
  report({ terms }) {
    if (!dataset) throw new Error('No data loaded yet.');
    return dataset.report(terms);
  },
  creditsCsv({ terms }) {
    if (!dataset) throw new Error('No data loaded yet.');
    return dataset.creditsCsv(terms);
  },
  forecast({ text }) {
    return forecastFromCsv(text);
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
