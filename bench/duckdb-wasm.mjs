// The in-browser peer: DuckDB-wasm (npm, installed by `ensure-tools.sh bench` into
// target/bench/npm) in the same headless Chromium, computing the same monthly per-channel
// report as bench/peers.py from the same file, dropped as a File. Prints one JSON line:
//   node bench/duckdb-wasm.mjs contacts.csv [runs]
// startupMs: worker + wasm instantiation; wholeMs: median of registering the file and the query.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { CHROMIUM } from '../tests/e2e/browser.mjs';
import { dropFile } from './drop-file.mjs';

const [path, runsText = '5'] = process.argv.slice(2);
const runs = Number(runsText);
const modules = resolve('target/bench/npm/node_modules');
const dist = join(modules, '@duckdb/duckdb-wasm/dist');
const { version } = JSON.parse(readFileSync(join(modules, '@duckdb/duckdb-wasm/package.json'), 'utf8'));
const site = resolve('target/bench/duckdb-site');

// DuckDB-wasm's browser module imports apache-arrow by name: bundled here into one file.
mkdirSync(site, { recursive: true });
await build({
  stdin: { contents: `export * from ${JSON.stringify(join(dist, 'duckdb-browser.mjs'))};`, resolveDir: site },
  bundle: true,
  format: 'esm',
  nodePaths: [modules],
  outfile: join(site, 'duckdb.mjs'),
  logLevel: 'error',
});
for (const file of ['duckdb-eh.wasm', 'duckdb-browser-eh.worker.js']) copyFileSync(join(dist, file), join(site, file));

const { server, url } = await startServer({ root: site, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage();
  await page.goto(url); // any document of the origin will do (this one is a 404)
  await dropFile(page, path);
  const figures = await page.evaluate(async (runs) => {
    const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    const file = document.querySelector('#bench-file').files[0];
    const started = performance.now();
    const duckdb = await import('./duckdb.mjs');
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker('./duckdb-browser-eh.worker.js'));
    await db.instantiate('./duckdb-eh.wasm');
    const startup = performance.now() - started;
    const sql = `SELECT date_trunc('month', arrived) AS month, channel,
        100.0 * count(*) FILTER (WHERE abandoned = 0 AND wait <= 20) / count(*) AS service_level,
        avg(wait) FILTER (WHERE abandoned = 0) AS asa,
        quantile_disc(wait, 0.9) AS p90_wait,
        avg(handle) FILTER (WHERE abandoned = 0) AS aht
      FROM read_csv('contacts.csv', header = true, auto_detect = true) GROUP BY ALL ORDER BY ALL`;
    const times = [];
    let rows = 0;
    for (let run = 0; run < runs; run++) {
      const at = performance.now();
      await db.registerFileHandle('contacts.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      const connection = await db.connect();
      rows = (await connection.query(sql)).numRows;
      await connection.close();
      await db.dropFile('contacts.csv');
      times.push(performance.now() - at);
    }
    return { startupMs: Math.round(startup), wholeMs: Math.round(median(times)), reportRows: rows };
  }, runs);
  console.log(JSON.stringify({ peer: 'duckdb-wasm (Chromium)', version, ...figures }));
} finally {
  await browser.close();
  await new Promise((done) => server.close(done));
}
