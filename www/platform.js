// Where the page finds its worker and its files when served from its origin. The single-file
// build (scripts/build-single.mjs) swaps this module for one with all of them inlined, so the
// same page also opens from file://.

/** A new calculator worker. */
export function createWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/** The text of a file shipped with the page (a template, the sample data). */
export async function assetText(path) {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`${path} could not be loaded (${response.status}).`);
  return response.text();
}

/**
 * Keeps the page working offline after this visit (see sw.js). Offline use is an extra: where
 * service workers are unavailable the page works as before, online.
 */
export function keepOffline() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)).catch((error) => {
    console.warn(`slacalc will not work offline: ${error.message}`);
  });
}
