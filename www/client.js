// A small messenger to the worker: each request gets an id, and its reply settles the promise
// with that id (the squoosh pattern). Long work can be cancelled: the worker is stopped and a
// fresh one started, as it is after a crash, so the page always has a working calculator.

/** Thrown by pending requests when the user cancels them. */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'Cancelled';
  }
}

export class SlacalcClient {
  #createWorker;
  #onProgress;
  #onRestart;
  #worker;
  #pending = new Map();
  #nextId = 1;

  /**
   * `createWorker()` makes a worker; `onProgress({ phase, done, total })` hears how far a load
   * is; `onRestart(reason)` hears that a fresh worker (with no data) replaced a stopped one.
   */
  constructor(createWorker, { onProgress = () => {}, onRestart = () => {} } = {}) {
    this.#createWorker = createWorker;
    this.#onProgress = onProgress;
    this.#onRestart = onRestart;
    this.#start();
  }

  #start() {
    this.#worker = this.#createWorker();
    // A worker that fails before its first answer would fail again: it is not restarted.
    let answered = false;
    this.#worker.onmessage = ({ data }) => {
      answered = true;
      if (data.progress) {
        this.#onProgress(data.progress);
        return;
      }
      const { id, ok, value, error, fatal } = data;
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      if (ok) pending?.resolve(value);
      else pending?.reject(new Error(error));
      if (fatal) this.#restart(`The calculator hit an internal error and was restarted: ${error}`);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault?.();
      const reason = `The calculator ${answered ? 'stopped' : 'could not start'}: ${event.message ?? 'unknown error'}`;
      if (answered) {
        this.#restart(reason);
        return;
      }
      for (const pending of this.#pending.values()) pending.reject(new Error(reason));
      this.#pending.clear();
    };
  }

  /** Stops the worker, fails what was pending with `error`, and starts a fresh one. */
  #replace(error) {
    this.#worker.terminate();
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#start();
  }

  #restart(reason) {
    this.#replace(new Error(reason));
    this.#onRestart(reason);
  }

  /** Stops whatever the worker is doing; the data it held is gone with it. */
  cancel() {
    this.#replace(new Cancelled());
    this.#onRestart('Cancelled.');
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

  /**
   * Reads a `File` (any encoding the core reads) in the worker, which streams it: the page
   * hands over the handle, not the bytes. A file past 200 MB is counted for `terms` as it is
   * read, not held: the result's `countedNote` then says so.
   */
  loadFile(file, options, terms) {
    return this.request('load', { file, options, terms });
  }

  /** Re-reads the loaded input with other import options (a mapping, a date order). */
  remap(options, terms) {
    return this.request('remap', { options, terms });
  }

  /** Realistic targets under `terms`: history, suggested goals, their risk and cost. */
  suggest(terms) {
    return this.request('suggest', { terms });
  }

  /** Service level and volume by weekday × hour, and the staffing of each hour. */
  peaks(terms, options) {
    return this.request('peaks', { terms, options });
  }

  /** The warehouse SQL for the full table the loaded extract comes from. */
  pushDownSql(request, terms) {
    return this.request('pushDownSql', { request, terms });
  }

  /** The skipped rows of the loaded data as CSV, each with why. */
  skippedCsv() {
    return this.request('skippedCsv');
  }

  /** The fields a column can be mapped to, with their labels. */
  fields() {
    return this.request('fields');
  }

  /** The metrics the terms editor offers, with their starter targets. */
  catalog() {
    return this.request('catalog');
  }

  /** The report of the loaded data under `terms` (JSON text or object), without re-parsing. */
  report(terms) {
    return this.request('report', { terms });
  }

  /** The report under `terms` as a file: `format` is `json` or `csv`. */
  reportFile(terms, format) {
    return this.request('reportFile', { terms, format });
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
