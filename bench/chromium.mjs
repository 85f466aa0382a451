// Times slacalc's wasm in headless Chromium on a contact file, in the page's own origin, and
// prints one JSON line of medians (ms):
//   node bench/chromium.mjs contacts.csv bench/terms.json [runs]
// startup: fetch + compile + instantiate of the wasm. fileRead: File.arrayBuffer() alone, the
// floor no reader can beat. import: the page's worker's reader (www/file-reader.js): File.stream()
// pushed chunk by chunk into ImportStream, a big file's last part by a second worker at the same
// time (the first run starts that worker, later runs find one started: the median is the
// page's second file on); importOneWorker: the same without the second worker (File.stream()
// pushed chunk by chunk into ImportStream: the one-core figure); importFromMemory: the core alone,
// on bytes already in memory (the file's bytes pushed in the same megabyte chunks), as the
// native import is timed: what compiling to wasm costs, without the browser's reading of the
// file. report: every target and the credits. whole = import + report, what a user waits for
// on dropping the file; recompute = report alone after an edit that changes what
// is measured (a threshold); goalEdit = the report after an edit that moves only a goal (the
// last report judged again); suggest = the realistic targets, recomputed with every edit once
// the page shows them (weekly histories from the weeks a first edit grouped, measured alone
// after the report); periodEdit = the report after the period is changed (month → week), a
// setting edit that measures every target again from the contacts' kept places in time;
// zoneEdit = the report after the zone is changed (UTC → Europe/Paris, a named zone with summer
// time), a setting edit that places every arrival again and measures every target; hoursEdit =
// the report after business hours are set, exclusionEdit after an exclusion window is added,
// forecastEdit after a forecast is set, each from the terms as they are: setting edits that
// measure every target again.
import { readFileSync } from 'node:fs';
import { openSession } from '../tests/e2e/browser.mjs';
import { dropFile } from './drop-file.mjs';

const [path, termsPath, runsText = '5'] = process.argv.slice(2);
const terms = readFileSync(termsPath, 'utf8');
const runs = Number(runsText);

// A run stalled this long is stuck, not slow: said with the step it stopped after, and ended,
// so scripts/bench.sh can try once more.
const STALL_MS = 90_000;
let lastStep = 'opening the page';
let stalled;
const watch = () => {
  clearTimeout(stalled);
  stalled = setTimeout(() => {
    console.error(`bench/chromium.mjs: no progress for ${STALL_MS / 1000} s after: ${lastStep}`);
    process.exit(3);
  }, STALL_MS);
};
watch();

const session = await openSession();
try {
  const { page } = await session.newPage();
  page.on('console', (message) => {
    if (message.type() === 'debug') {
      lastStep = message.text();
      watch();
    }
  });
  await page.goto(session.url);
  // The page computes its sample on opening: let it finish, so nothing else competes for the
  // two cores while the figures are taken.
  await page.locator('#scorecards table').first().waitFor();
  await page.locator('#busy').waitFor({ state: 'hidden' });
  await dropFile(page, path);
  const figures = await page.evaluate(async ({ terms, runs }) => {
    const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    const file = document.querySelector('#bench-file').files[0];
    const started = performance.now();
    const { default: init, ImportStream } = await import('./pkg/slacalc.js');
    const { byteReader, prepareSecondWorker, streamFile } = await import('./file-reader.js');
    await init();
    const startup = performance.now() - started;
    // As the page's worker does once ready.
    prepareSecondWorker();
    const times = { fileRead: [], import: [], importOneWorker: [], importFromMemory: [], report: [], whole: [], recompute: [], goalEdit: [], suggest: [], periodEdit: [], zoneEdit: [], hoursEdit: [], exclusionEdit: [], forecastEdit: [] };
    // A terms edit that changes what is measured (the first target's threshold), then one that
    // moves only its goal: the page judges the last report again for the second.
    const measuredEdit = JSON.parse(terms);
    measuredEdit.targets[0].thresholdSecs += 1;
    const goalEdit = structuredClone(measuredEdit);
    goalEdit.targets[0].goal -= 1;
    const periodEdit = { ...JSON.parse(terms), period: 'isoWeek' };
    const zoneEdit = { ...JSON.parse(terms), timeZone: 'Europe/Paris' };
    // As examples/bench_native.rs sets them: weekdays 9 to 5, two hours of the second month,
    // 100 contacts forecast for each half hour of 10 February.
    const day = '09:00-17:00';
    const hoursEdit = { ...JSON.parse(terms), businessHours: { weekly: { mon: day, tue: day, wed: day, thu: day, fri: day } } };
    const exclusionEdit = { ...JSON.parse(terms), exclusions: [{ start: '2026-02-10T10:00', end: '2026-02-10T12:00', reason: 'Outage' }] };
    const halfHours = Array.from({ length: 48 }, (_, half) => `2026-02-10T${String(half >> 1).padStart(2, '0')}:${half % 2 ? '30' : '00'}`);
    const forecastEdit = { ...JSON.parse(terms), forecast: { per: 'interval30', volumes: halfHours.map((start) => ({ start, contacts: 100 })) } };
    let contacts = 0;
    for (let run = 0; run < runs; run++) {
      // Steps told to the watchdog outside the timed spans.
      console.debug(`run ${run + 1}: importing`);
      // A person's next drop comes a while after the last report, not within its millisecond:
      // the second worker started after the last file has started by then.
      await new Promise((resolve) => setTimeout(resolve, 500));
      let at = performance.now();
      const stream = new ImportStream(null, file.size);
      await streamFile(stream, file, null, () => {});
      const dataset = stream.finish();
      stream.free();
      const imported = performance.now();
      dataset.report(terms);
      const reported = performance.now();
      times.import.push(imported - at);
      times.report.push(reported - imported);
      times.whole.push(reported - at);
      console.debug(`run ${run + 1}: imported and reported; edits next`);
      at = performance.now();
      dataset.report(measuredEdit);
      times.recompute.push(performance.now() - at);
      at = performance.now();
      dataset.report(goalEdit);
      times.goalEdit.push(performance.now() - at);
      // The period edit first, while the contacts are grouped by months only; then back, and
      // the suggestions, which read weekly histories from the weeks that edit grouped, as the
      // page's are from the second edit on (it asks for them after every edit).
      at = performance.now();
      dataset.report(periodEdit);
      times.periodEdit.push(performance.now() - at);
      dataset.report(goalEdit);
      at = performance.now();
      dataset.suggest(terms);
      times.suggest.push(performance.now() - at);
      at = performance.now();
      dataset.report(zoneEdit);
      times.zoneEdit.push(performance.now() - at);
      // Each from the terms as they are, as a person sets them on the page.
      for (const [edit, name] of [[hoursEdit, 'hoursEdit'], [exclusionEdit, 'exclusionEdit'], [forecastEdit, 'forecastEdit']]) {
        dataset.report(terms);
        at = performance.now();
        dataset.report(edit);
        times[name].push(performance.now() - at);
      }
      contacts = dataset.contactCount;
      dataset.free();
      console.debug(`run ${run + 1}: importing on one worker`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      at = performance.now();
      const alone = new ImportStream(null, file.size);
      const reader = byteReader(file);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        alone.push(value);
      }
      const oneWorker = alone.finish();
      times.importOneWorker.push(performance.now() - at);
      alone.free();
      oneWorker.free();
    }
    // The floor, read after the streamed imports, whose timings its 50 MB arrays of garbage
    // would otherwise weigh on; the page itself never reads a file whole.
    let bytes;
    for (let run = 0; run < runs; run++) {
      console.debug(`floor ${run + 1}: reading the file whole`);
      const at = performance.now();
      bytes = new Uint8Array(await file.arrayBuffer());
      times.fileRead.push(performance.now() - at);
    }
    const CHUNK = 1 << 20;
    for (let run = 0; run < runs; run++) {
      console.debug(`run ${run + 1}: importing from memory`);
      const at = performance.now();
      const stream = new ImportStream(null, bytes.length);
      for (let start = 0; start < bytes.length; start += CHUNK) stream.push(bytes.subarray(start, start + CHUNK));
      const dataset = stream.finish();
      times.importFromMemory.push(performance.now() - at);
      stream.free();
      dataset.free();
    }
    const medians = Object.fromEntries(Object.entries(times).map(([name, list]) => [`${name}Ms`, Math.round(median(list))]));
    return { contacts, megabytes: +(file.size / 1e6).toFixed(1), runs, startupMs: Math.round(startup), ...medians };
  }, { terms, runs });
  figures.chromium = session.browser.version();
  console.log(JSON.stringify(figures));
} finally {
  clearTimeout(stalled);
  await session.close();
}
