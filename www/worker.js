// The only place the wasm runs in the page: parsing and computing never block the tab.
// Protocol: { id, type, ...payload } in; { id, ok: true, value } or { id, ok: false, error }
// out, with `fatal: true` when the wasm itself failed (the page then starts a fresh worker);
// { progress: { phase, done, total } } while a load runs. Started again as the second worker
// of a big file's reading, it answers `readLastPart`, posting { batch } as it goes.
import init, { Dataset, ImportStream, forecastFromCsv, importFields, metricCatalog } from './pkg/slacalc.js';
import { wasmSource } from './wasm-source.js';
import { prepareSecondWorker, readLastPart, streamFile } from './file-reader.js';

const ready = init(wasmSource === undefined ? undefined : { module_or_path: wasmSource });
// A wasm that failed to start says so on the first request, not here.
ready.then(prepareSecondWorker, () => {});
let dataset = null;
// The last input, kept so a changed mapping re-reads it without the page sending it again.
let input = null;

function reportProgress(done, total) {
  self.postMessage({ progress: { phase: 'parsing', done, total } });
}

/**
 * A file's contacts, streamed chunk by chunk into the core (a big file's last part by a second
 * worker at the same time): neither the page nor the worker ever holds the whole file. The core
 * holds the contacts of a file up to 200 MB; past that it counts them for `terms` as they are
 * read, so memory stays bounded however big the file.
 */
async function readFile(file, options, terms) {
  const stream = new ImportStream(options, file.size, terms);
  // Chunks come by 64 KB or more: the page hears of each megabyte, not of each chunk.
  const BYTES_BETWEEN_REPORTS = 1 << 20;
  let reported = 0;
  try {
    await streamFile(stream, file, options, (read) => {
      if (read - reported >= BYTES_BETWEEN_REPORTS) {
        reported = read;
        reportProgress(read, file.size);
      }
    });
    const read = stream.finish();
    stream.free();
    return read;
  } catch (error) {
    // After a trap (memory exhausted) the instance is gone: freeing would only hide the cause.
    if (!(error instanceof WebAssembly.RuntimeError)) stream.free();
    throw error;
  }
}

/** Reads the held input with `options` (a big file counted for `terms`), replacing the dataset. */
async function open(options, terms) {
  dataset?.free();
  // Cleared before parsing: if reading throws, no freed handle is left to be used.
  dataset = null;
  input.options = options;
  dataset = input.file
    ? await readFile(input.file, options, terms)
    : Dataset.fromCsv(input.text, options, reportProgress);
  return { contactCount: dataset.contactCount, quality: dataset.quality(), countedNote: dataset.countedNote };
}

function loaded() {
  if (!dataset) throw new Error('No data loaded yet.');
  return dataset;
}

/**
 * The dataset, ready for `terms`: a big file counted for other terms is streamed again,
 * counted for these (with progress, and a cancel stops it like any load).
 */
async function loadedFor(terms) {
  if (loaded().readAgainFor(terms)) await open(input.options, terms);
  return loaded();
}

const handlers = {
  // Parse once and hold the contacts; later terms edits only call `report`.
  // A file is kept as the File itself (a handle, not its bytes): a remap, or terms a big
  // file's counts do not carry, stream it again.
  load({ text, file, options, terms }) {
    input = file ? { file } : { text };
    return open(options, terms);
  },
  remap({ options, terms }) {
    if (!input) throw new Error('No data loaded yet.');
    return open(options, terms);
  },
  async report({ terms }) {
    return (await loadedFor(terms)).report(terms);
  },
  async reportFile({ terms, format }) {
    const held = await loadedFor(terms);
    return format === 'csv' ? held.reportCsv(terms) : held.reportJson(terms);
  },
  async peaks({ terms, options }) {
    return (await loadedFor(terms)).peaks(terms, options);
  },
  async suggest({ terms }) {
    return (await loadedFor(terms)).suggest(terms);
  },
  // The SQL reads the data's columns only, never its contacts or counts: no file is read again
  // for it, and it is written even for terms a counted file cannot serve.
  pushDownSql({ request, terms }) {
    return loaded().pushDownSql(request, terms);
  },
  skippedCsv() {
    return loaded().skippedRowsCsv();
  },
  async creditsCsv({ terms }) {
    return (await loadedFor(terms)).creditsCsv(terms);
  },
  // As the second worker of a big file's reading (see file-reader.js).
  readLastPart({ file, options, prefix, start }) {
    return readLastPart(file, options, prefix, start, (message, transfer) => self.postMessage(message, transfer));
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
    // Bytes (a last part's) are handed over, not copied.
    self.postMessage({ id, ok: true, value }, value instanceof Uint8Array ? [value.buffer] : []);
  } catch (error) {
    // A trap (a Rust panic, memory exhausted) leaves the wasm instance unusable; a panic left
    // its message in `slacalcPanic` (see install_panic_hook in src/wasm.rs).
    const fatal = error instanceof WebAssembly.RuntimeError;
    const message = fatal && self.slacalcPanic ? self.slacalcPanic : error instanceof Error ? error.message : String(error);
    self.postMessage({ id, ok: false, error: message, fatal });
  }
};
