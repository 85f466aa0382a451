// A small messenger to the worker: each request gets an id, and its reply settles the promise
// with that id (the squoosh pattern).
export class SlacalcClient {
  #worker;
  #pending = new Map();
  #nextId = 1;

  constructor(workerUrl) {
    this.#worker = new Worker(workerUrl, { type: 'module' });
    this.#worker.onmessage = ({ data: { id, ok, value, error } }) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      if (ok) pending.resolve(value);
      else pending.reject(new Error(error));
    };
    this.#worker.onerror = (event) => {
      const error = new Error(`The calculator stopped: ${event.message ?? 'unknown error'}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
  }

  request(type, payload = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, type, ...payload });
    });
  }

  /** Parses pasted text in the worker; resolves to `{ contactCount, quality }`. */
  load(text, options) {
    return this.request('load', { text, options });
  }

  /** Parses a file's bytes (any encoding the core reads); resolves like `load`. */
  loadBytes(bytes, options) {
    return this.request('load', { bytes, options });
  }

  /** Re-reads the loaded input with other import options (a mapping, a date order). */
  remap(options) {
    return this.request('remap', { options });
  }

  /** Realistic targets under `terms`: history, suggested goals, their risk and cost. */
  suggest(terms) {
    return this.request('suggest', { terms });
  }

  /** Service level and volume by weekday × hour, and the staffing of each hour. */
  peaks(terms, options) {
    return this.request('peaks', { terms, options });
  }

  /** The skipped rows of the loaded data as CSV, each with why. */
  skippedCsv() {
    return this.request('skippedCsv');
  }

  /** The fields a column can be mapped to, with their labels. */
  fields() {
    return this.request('fields');
  }

  /** The report of the loaded data under `terms` (JSON text or object), without re-parsing. */
  report(terms) {
    return this.request('report', { terms });
  }

  /** The credits under `terms` as CSV text, every amount with its explanation. */
  creditsCsv(terms) {
    return this.request('creditsCsv', { terms });
  }

  /** A forecast CSV read into the terms' `forecast` section. */
  forecast(text) {
    return this.request('forecast', { text });
  }
}
