// The second worker of a big file's reading (see file-reader.js): the page's worker script
// itself, started again under `name`. The single-file build swaps this module for one that
// starts the worker's own inlined source.
export function startSecondWorker(name) {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name });
}
