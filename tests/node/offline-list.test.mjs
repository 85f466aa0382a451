// The service worker caches a fixed list of files for offline use; a file added to the page but
// not to the list would be missing offline. This keeps the list equal to the page's files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const www = new URL('../../www/', import.meta.url);

/** Every file under www/ that the page can ask for, as a path relative to www/. */
function pageFiles(folder = '') {
  return readdirSync(new URL(folder, www), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}${entry.name}`;
    if (entry.isDirectory()) return pageFiles(`${path}/`);
    // The service worker itself, and what wasm-bindgen writes for tools rather than the page.
    if (path === 'sw.js' || path.endsWith('.d.ts') || path.startsWith('pkg/') && !/\.(js|wasm)$/.test(path)) return [];
    return [path];
  });
}

test('the offline cache lists exactly the files of the page', () => {
  const source = readFileSync(new URL('sw.js', www), 'utf8');
  const listed = [...source.match(/const FILES = \[([^\]]*)\]/)[1].matchAll(/'([^']+)'/g)].map((match) => match[1]);
  assert.deepEqual(listed.filter((path) => path !== './').sort(), pageFiles().sort());
  assert.ok(listed.includes('./'), 'the page itself, by its folder address');
});
