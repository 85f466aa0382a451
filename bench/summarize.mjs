// Prints the benchmark's results (JSON lines from scripts/bench.sh) as a table with ratios, and
// the machine they came from.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const results = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const plain = results.find((result) => result.run === 'native').file;
const of = (run, file = plain) => results.find((result) => result.run === run && result.file === file)?.figures;
const native = of('native');
// The same run pinned to one core (taskset): the browser's single thread, natively.
const oneCore = of('native-one-core');
const chromium = of('chromium');
const quotedFile = results.find((result) => result.file !== plain)?.file;

const rows = [
  ['slacalc native: import + report', native.wholeMs],
  ['slacalc native: import alone', native.importMs],
  ['slacalc native: report made anew (an edit of the zone)', native.reportMs],
  ['slacalc native: recompute after a period edit', native.periodEditMs],
  ['slacalc native: recompute after a zone edit (UTC → Europe/Paris)', native.zoneEditMs],
  ['slacalc native: recompute after business hours are set', native.hoursEditMs],
  ['slacalc native: recompute after an exclusion window is added', native.exclusionEditMs],
  ['slacalc native: recompute after a forecast is set', native.forecastEditMs],
  ['slacalc native: recompute after a threshold edit', native.recomputeMs],
  ['slacalc native: recompute after a goal edit', native.goalEditMs],
  ['slacalc native: suggestions', native.suggestMs],
  ...(oneCore ? [
    ['slacalc native on one core: import + report', oneCore.wholeMs],
    ['slacalc native on one core: import alone', oneCore.importMs],
    ['slacalc native on one core: report made anew', oneCore.reportMs],
  ] : []),
  ['slacalc in Chromium: import + report', chromium.wholeMs],
  ['slacalc in Chromium: import on two workers', chromium.importMs],
  ['slacalc in Chromium: import on one worker', chromium.importOneWorkerMs],
  ['slacalc in Chromium: import from memory on one worker (the core alone)', chromium.importFromMemoryMs],
  ['slacalc in Chromium: report made anew', chromium.reportMs],
  ['slacalc in Chromium: recompute after a period edit', chromium.periodEditMs],
  ['slacalc in Chromium: recompute after a zone edit (UTC → Europe/Paris)', chromium.zoneEditMs],
  ['slacalc in Chromium: recompute after business hours are set', chromium.hoursEditMs],
  ['slacalc in Chromium: recompute after an exclusion window is added', chromium.exclusionEditMs],
  ['slacalc in Chromium: recompute after a forecast is set', chromium.forecastEditMs],
  ['slacalc in Chromium: recompute after a threshold edit', chromium.recomputeMs],
  ['slacalc in Chromium: recompute after a goal edit', chromium.goalEditMs],
  ['slacalc in Chromium: suggestions', chromium.suggestMs],
  ['slacalc in Chromium: wasm start-up', chromium.startupMs],
  ['Chromium: File.arrayBuffer() alone', chromium.fileReadMs],
  ...results.filter((result) => result.run === 'peer').flatMap(({ figures }) => [
    [`${figures.peer} ${figures.version}: same report`, figures.wholeMs],
    ...(figures.startupMs === undefined ? [] : [[`${figures.peer} ${figures.version}: start-up`, figures.startupMs]]),
  ]),
];
console.log(`\n${native.contacts.toLocaleString('en-US')} contacts, ${native.megabytes} MB, median of ${native.runs} runs`);
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB; ${chromium.chromium ? `Chromium ${chromium.chromium}` : ''}\n`);
const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, ms] of rows) console.log(`${name.padEnd(width)}  ${String(ms).padStart(6)} ms`);
console.log('');
console.log(`native core import speed: ${native.importMBps} MB/s${oneCore ? ` (${oneCore.importMBps} MB/s on one core)` : ''}`);
// The same code on the same one thread (the page's import on one worker): what compiling to
// wasm costs; then each on both cores, as each runs.
if (oneCore) {
  console.log(`wasm / native on one core (import + report): ${((chromium.importOneWorkerMs + chromium.reportMs) / oneCore.wholeMs).toFixed(2)}×`);
  // Both from bytes in memory: the core alone, without the browser's reading of the file.
  console.log(`wasm / native on one core, the core alone (import from memory + report): ${((chromium.importFromMemoryMs + chromium.reportMs) / oneCore.wholeMs).toFixed(2)}×`);
}
console.log(`wasm / native on two cores (import + report): ${(chromium.wholeMs / native.wholeMs).toFixed(2)}×`);
console.log(`Chromium whole / bare file read: ${(chromium.wholeMs / chromium.fileReadMs).toFixed(1)}×`);
for (const { figures } of results.filter((result) => result.run === 'peer')) {
  // Each peer against slacalc where it runs: in the browser or natively.
  const [ours, where] = figures.peer.includes('Chromium') ? [chromium, 'in Chromium'] : [native, 'native'];
  console.log(`slacalc ${where} / ${figures.peer}: ${(ours.wholeMs / figures.wholeMs).toFixed(2)}×`);
}
const memory = of('memory');
if (memory) {
  console.log(`the page's renderer: ${memory.beforeMB} MB at rest, ${memory.peakMB} MB at most with the file: +${memory.growthMB} MB, ${memory.growthPerFileSize}× the file's ${memory.fileMB} MB`);
}
if (quotedFile) {
  console.log(`quoted cells + CRLF / plain: native ${(of('native', quotedFile).wholeMs / native.wholeMs).toFixed(2)}×, Chromium ${(of('chromium', quotedFile).wholeMs / chromium.wholeMs).toFixed(2)}×`);
}
