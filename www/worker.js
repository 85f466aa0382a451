// The only place the wasm runs in the page: parsing and computing never block the tab.
// Protocol: { id, type, ...payload } in; { id, ok: true, value } or { id, ok: false, error }
// out, with `fatal: true` when the wasm itself failed (the page then starts a fresh worker);
// { progress: { phase, done, total } } while a load runs.
import init, { Dataset, ImportStream, forecastFromCsv, importFields, metricCatalog } from './pkg/slacalc.js';
import { wasmSource } from './wasm-source.js';

const ready = init(wasmSource === undefined ? undefined : { module_or_path: wasmSource });
let dataset = null;
// The last input, kept so a changed mapping re-reads it without the page sending it again.
let input = null;

function reportProgress(done, total) {
  self.postMessage({ progress: { phase: 'parsing', done, total } });
}

/**
 * A file's contacts, streamed chunk by chunk into the core: neither the page nor the worker
 * ever holds the whole file, so a file larger than memory can be read (the contacts are kept).
 */
async function streamFile(file, options) {
  const stream = new ImportStream(options, file.size);
  const reader = file.stream().getReader();
  // File.stream() gives chunks of 64 KB: the page hears of each megabyte, not of each chunk.
  const BYTES_BETWEEN_REPORTS = 1 << 20;
  let read;
  let reported = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      stream.push(value);
      if (stream.bytesRead - reported >= BYTES_BETWEEN_REPORTS) {
        reported = stream.bytesRead;
        reportProgress(reported, file.size);
      }
    }
    read = stream.finish();
  } catch (error) {
    // The rest of the file is not needed: a refusal comes from its first megabytes.
    reader.cancel();
    // After a trap (memory exhausted) the instance is gone: freeing would only hide the cause.
    if (!(error instanceof WebAssembly.RuntimeError)) stream.free();
    throw error;
  }
  stream.free();
  return read;
}

/** Reads the held input with `options`, replacing the dataset. */
async function open(options) {
  dataset?.free();
  // Cleared before parsing: if reading throws, no freed handle is left to be used.
  dataset = null;
  dataset = input.file
    ? await streamFile(input.file, options)
    : Dataset.fromCsv(input.text, options, reportProgress);
  return { contactCount: dataset.contactCount, quality: dataset.quality() };
}

function loaded() {
  if (!dataset) throw new Error('No data loaded yet.');
  return dataset;
}

const handlers = {
  // Parse once and hold the contacts; later terms edits only call `report`.
  // A file is kept as the File itself (a handle, not its bytes): a remap streams it again.
  load({ text, file, options }) {
    input = file ? { file } : { text };
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
  pushDownSql({ request, terms }) {
    return loaded().pushDownSql(request, terms);
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
    const value = await handlers[type](payload);
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    // A trap (a Rust panic, memory exhausted) leaves the wasm instance unusable; a panic left
    // its message in `slacalcPanic` (see install_panic_hook in src/wasm.rs).
    const fatal = error instanceof WebAssembly.RuntimeError;
    const message = fatal && self.slacalcPanic ? self.slacalcPanic : error instanceof Error ? error.message : String(error);
    self.postMessage({ id, ok: false, error: message, fatal });
  }
};
