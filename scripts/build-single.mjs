// The single-file build: the whole page — scripts, styles, the wasm, the templates and the
// sample — inlined into dist/slacalc.html, for analysts who cannot run a server. It opens from
// file:// and makes no request at all. esbuild bundles the ES modules; the two modules that
// reach for files (platform.js, wasm-source.js) are swapped for inlined versions.
//   node scripts/build-single.mjs      (after scripts/build-wasm.sh)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const repo = new URL('../', import.meta.url);
const www = new URL('www/', repo);
const read = (path) => readFileSync(new URL(path, www));
const output = new URL('dist/slacalc.html', repo);

/** An esbuild plugin that answers `./name.js` imports with `contents` instead of the file. */
function swap(name, contents) {
  return {
    name: `swap-${name}`,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^\\./${name}\\.js$`) }, () => ({ path: name, namespace: 'inlined' }));
      build.onLoad({ filter: /.*/, namespace: 'inlined' }, ({ path }) => (path === name ? { contents, loader: 'js' } : undefined));
    },
  };
}

async function bundle(entry, plugins, format = 'esm') {
  const result = await esbuild.build({
    entryPoints: [new URL(entry, www).pathname],
    bundle: true,
    format,
    logLevel: 'error',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    plugins,
  });
  return result.outputFiles[0].text;
}

const wasmBase64 = read('pkg/slacalc_bg.wasm').toString('base64');
const workerSource = await bundle('worker.js', [swap('wasm-source', `
  export const wasmSource = Uint8Array.from(atob(${JSON.stringify(wasmBase64)}), (c) => c.charCodeAt(0));
`), swap('second-worker', `
  // The second worker of a big file's reading: this worker's own source, started again.
  export function startSecondWorker(name) { return new Worker(self.location.href, { name }); }
`)], 'iife'); // a classic worker: Chromium does not start module workers from a file:// page's blob: URLs

const assets = Object.fromEntries([
  'sample/contacts.csv',
  ...readdirSync(new URL('examples/', www)).filter((name) => name.endsWith('.json')).map((name) => `examples/${name}`),
].map((path) => [path, read(path).toString('utf8')]));

const mainSource = await bundle('main.js', [swap('platform', `
  const workerSource = ${JSON.stringify(workerSource)};
  const assets = ${JSON.stringify(assets)};
  export function createWorker() {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    return new Worker(url);
  }
  export async function assetText(path) {
    if (!(path in assets)) throw new Error(path + ' is not part of this single-file page.');
    return assets[path];
  }
  // Nothing to cache: the file is the whole page.
  export function keepOffline() {}
`)]);

const css = read('style.css').toString('utf8');
for (const [name, text] of [['script', mainSource], ['style', css]]) {
  if (text.includes(`</${name}`)) throw new Error(`the inlined ${name} contains </${name}`);
}
const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const policy = [
  "default-src 'none'",
  `script-src ${hash(mainSource)} 'wasm-unsafe-eval'`,
  `style-src ${hash(css)}`,
  'img-src data:',
  'worker-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let html = read('index.html').toString('utf8');
const replaceOnce = (pattern, replacement) => {
  if (!pattern.test(html)) throw new Error(`index.html no longer has ${pattern}`);
  html = html.replace(pattern, () => replacement);
};
replaceOnce(/<meta http-equiv="Content-Security-Policy"\s+content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${policy}">`);
replaceOnce(/<link rel="stylesheet" href="style.css">/, `<style>${css}</style>`);
replaceOnce(/<script type="module" src="main.js"><\/script>/, `<script type="module">${mainSource}</script>`);
// The schema is a file of the served page; here it would be a dead link.
replaceOnce(/ \(<a href="terms.schema.json">schema<\/a>\)/, '');

mkdirSync(new URL('dist/', repo), { recursive: true });
writeFileSync(output, html);
console.log(`[build] dist/slacalc.html: ${html.length} bytes, opens from file:// with no server`);
