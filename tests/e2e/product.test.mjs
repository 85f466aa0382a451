// The page as a product, in real headless Chromium: the three steps, the form editor and the
// templates, the share link, every export, print, progress and cancel, offline use, the
// single-file build from file://, the keyboard alone, and a phone-width screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { CHROMIUM, downloadOf, openPage, openSession, readScorecards, settle } from './browser.mjs';
import { dropFile } from '../../bench/drop-file.mjs';
import { initSync, Dataset } from '../../www/pkg/slacalc.js';

const repo = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, repo), 'utf8');
const screenshot = (path) => new URL(`docs/${path}`, repo).pathname;
let session;
let sample;

before(async () => {
  session = await openSession();
  initSync({ module: readFileSync(new URL('www/pkg/slacalc_bg.wasm', repo)) });
  sample = Dataset.fromCsv(read('www/sample/contacts.csv'));
});
after(async () => { await session?.close(); });

const targetLabels = async (page) => (await readScorecards(page)).flatMap((table) => table.rows.map((row) => row.target));
const termsOf = async (page) => JSON.parse(await page.inputValue('#terms'));

/** Waits until the scorecard has a row labelled `label`. */
const rowAppears = (page, label) => page.locator('#scorecards th.target', { hasText: label }).first().waitFor();

test('the page opens in three steps, with the form, the charts and the exports ready', async () => {
  const { page } = await openPage(session);
  const steps = await page.$$eval('main > section > h2', (headings) => headings.map((h) => h.textContent.trim()));
  assert.deepEqual(steps, ['1 Data', '2 Terms', '3 Results']);

  const formRows = await page.$$eval('.targets-form tbody tr', (rows) => rows.map((row) => [
    row.querySelector('.metric-name').textContent, row.querySelector('input').value,
  ]));
  assert.deepEqual(formRows, [['Service level', '80'], ['Average speed of answer (ASA)', '30'], ['Abandonment rate', '5']]);
  assert.equal(await page.getAttribute('.targets-form tbody tr td', 'title'),
    'What share of contacts were answered within a threshold? answered within T ÷ (answered + abandoned)');

  const captions = await page.locator('#trends figcaption').allTextContents();
  assert.deepEqual(captions, await targetLabels(page));
  assert.equal(await page.locator('#trends .mark.missed').count(), 2, 'September misses service level and abandonment');

  const { waits } = sample.report(read('www/examples/voice-80-20.json'));
  const legend = await page.locator('#waits ul.legend li.answered').textContent();
  assert.ok(legend.includes(`${waits.answered.withinThresholdPercent.toFixed(1)} % within 20 s`), legend);
  assert.ok(legend.startsWith(`Answered (solid): ${waits.answered.contacts.toLocaleString('en-US')} contacts`), legend);

  assert.equal(await page.locator('#peaks table.heat-map tbody tr').count(), 7, 'the heat map needs no click');
  assert.equal(await page.locator('#suggestions article').count(), 0, 'suggestions wait to be asked for');
  for (const id of ['#report-csv', '#report-json', '#print']) assert.equal(await page.isEnabled(id), true);
  await page.locator('main > section').nth(1).screenshot({ path: screenshot('terms.png') });
  await page.locator('.subsection.charts').screenshot({ path: screenshot('charts.png') });
});

test('a template is applied from the menu, and the form edits, adds and removes targets', async () => {
  const { page } = await openPage(session);
  await page.selectOption('#terms-example', 'examples/vip-tier.json');
  await rowAppears(page, 'VIP: 90 % answered in 15 s');
  assert.deepEqual(await targetLabels(page), ['VIP: 90 % answered in 15 s', 'VIP: abandonment ≤ 2 %', 'Standard: 80 % answered in 20 s']);
  assert.equal(await page.locator('.targets-form tbody tr').count(), 3);

  await page.selectOption('#terms-example', 'examples/voice-80-20.json');
  await rowAppears(page, 'ASA ≤ 30 s');
  await page.fill('input[aria-label="Goal of target 1 (%)"]', '70');
  await rowAppears(page, 'Service level ≥ 70 % in 20 s');
  await page.fill('input[aria-label="Threshold in seconds of target 1"]', '30');
  await rowAppears(page, 'Service level ≥ 70 % in 30 s');
  await page.fill('input[aria-label="Channel of target 1"]', 'voice, chat');
  await page.press('input[aria-label="Channel of target 1"]', 'Tab');
  await settle(page);
  assert.deepEqual((await termsOf(page)).targets[0], { metric: 'serviceLevel', goal: 70, thresholdSecs: 30, scope: { channel: ['voice', 'chat'] } });

  await page.click('button[aria-label="Remove target 2: Average speed of answer (ASA)"]');
  await page.locator('#scorecards th.target', { hasText: 'ASA' }).waitFor({ state: 'detached' });
  await page.selectOption('.add-target select', 'fcr');
  assert.equal(await page.textContent('#add-target-question'), 'What share of contacts were resolved the first time?');
  await page.click('text=Add target');
  await rowAppears(page, 'FCR ≥ 70 %');
  await page.selectOption('.add-target select', 'availability');
  await page.click('text=Add target');
  await rowAppears(page, 'Availability ≥ 99.5 %');
  const terms = await termsOf(page);
  assert.deepEqual(terms.targets.map((target) => target.metric), ['serviceLevel', 'abandonmentRate', 'fcr', 'availability']);
  assert.deepEqual(terms.availability, { outages: [] }, 'availability brings the section it reads');
  assert.equal(await page.locator('.targets-form tbody tr').count(), 4);
});

test('a share link carries the terms and never the data, and opening it restores them', async () => {
  const { page } = await openPage(session);
  await page.fill('input[aria-label="Goal of target 1 (%)"]', '85');
  await rowAppears(page, 'Service level ≥ 85 % in 20 s');
  await page.click('#share');
  await page.locator('#share-box').waitFor();
  const link = await page.inputValue('#share-link');
  assert.ok(link.startsWith(`${session.url}#terms=`), link);
  assert.ok(link.length < 400, `a short link (${link.length} characters)`);
  const fragment = decodeURIComponent(link.slice(session.url.length));
  for (const datum of ['2026-08-01', 'answered', 'voice']) assert.ok(!fragment.includes(datum), `no data in the link: ${datum}`);

  const { page: opened } = await openPage(session, link.slice(session.url.length));
  assert.deepEqual(await termsOf(opened), await termsOf(page));
  assert.equal(await opened.textContent('#terms-note'), 'Terms restored from the link you opened.');
  assert.equal((await targetLabels(opened))[0], 'Service level ≥ 85 % in 20 s');

  const { page: damaged } = await openPage(session, '#terms=not-a-link');
  assert.match(await damaged.textContent('#terms-note'), /could not be read .* default terms instead/);
  assert.equal((await targetLabels(damaged))[0], 'Service level ≥ 80 % in 20 s');
});

test('each export holds what the core computes, and terms go out and come back as files', async () => {
  const { page } = await openPage(session);
  const terms = await page.inputValue('#terms');
  const csv = await downloadOf(page, '#report-csv');
  assert.equal(csv.name, 'slacalc-report.csv');
  assert.equal(csv.text, sample.reportCsv(terms));
  assert.match(csv.text, /^target,scope,period,value,unit,goal,direction,status,margin,contacts,excluded,part,whole,calculation\n/);
  const json = await downloadOf(page, '#report-json');
  assert.equal(json.name, 'slacalc-report.json');
  assert.equal(json.text, sample.reportJson(terms));
  assert.deepEqual(JSON.parse(json.text).targets[0].results.map((result) => result.status), ['met', 'missed', 'met']);

  const exported = await downloadOf(page, '#export-terms');
  assert.equal(exported.name, 'voice-queue-80-20.json');
  assert.equal(exported.text, terms);
  const mine = read('www/examples/chat-60s.json');
  await page.setInputFiles('#terms-file', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(mine) });
  await rowAppears(page, 'Service level ≥ 80 % in 60 s');
  assert.equal(await page.inputValue('#terms'), mine);
  assert.equal(await page.textContent('#terms-note'), 'Terms imported from mine.json.');
});

test('printing gives a one-to-three-page report without the controls', async () => {
  const { page } = await openPage(session);
  await page.selectOption('#terms-example', 'examples/credits-practice.json');
  await page.locator('#credits .credits-table').waitFor();
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['#terms', '#compute', '.targets-form', '#contacts']) {
    assert.equal(await page.isVisible(hidden), false, `${hidden} is not printed`);
  }
  for (const shown of ['#scorecards table', '#trends svg', '#credits .credits-table', '#terms-print']) {
    assert.equal(await page.isVisible(shown), true, `${shown} is printed`);
  }
  assert.match(await page.textContent('#terms-print'), /"name": "Practice of the seed: tiered credits, cap, bonus"|"credits"/);
  const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  const pages = pdf.match(/\/Type\s*\/Page[^s]/g).length;
  assert.ok(pages >= 1 && pages <= 3, `${pages} pages`);
});

test('a long load shows its progress and can be cancelled, and the page goes on working', async () => {
  const { page } = await openPage(session);
  const rows = ['arrived,wait,outcome'];
  for (let i = 0; i < 1_500_000; i++) rows.push(`2026-0${1 + (i % 9)}-1${i % 10} 10:${String(i % 60).padStart(2, '0')}:00,${i % 90},answered`);
  await page.setInputFiles('#file', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.waitForFunction(() => document.getElementById('progress-text').textContent.startsWith('Reading the rows…'));
  assert.match(await page.textContent('#progress-text'), /^Reading the rows… \d+ % of \d+ MB$/);
  await page.click('#cancel');
  await settle(page);
  assert.equal(await page.textContent('#error'), 'Cancelled. The data was unloaded: paste, open a file or use the sample to go on.');
  assert.equal(await page.locator('#scorecards table').count(), 0);

  await page.click('#use-sample');
  await page.locator('#scorecards table').first().waitFor();
  assert.equal(await page.isVisible('#error'), false);
  assert.equal((await targetLabels(page))[0], 'Service level ≥ 80 % in 20 s');
});

/**
 * A contact file of about 20 MB (past the 16 MB the page shares between two workers): calls
 * over two months, a quoted cell across lines near its start, and in its last part rows to
 * skip — a short row, a wait that is no duration — and a channel met nowhere before.
 */
function fileToShare() {
  const rows = ['arrived,channel,wait,outcome,handle', '2026-01-01 08:00:00,"voice\ncallback",12,answered,200'];
  const count = 420_000;
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const time = `${String(8 + (i % 10)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const answered = i % 11 !== 0;
    const channel = i > count * 0.9 && i % 5 === 0 ? 'email' : ['voice', 'chat'][i % 3 === 0 ? 1 : 0];
    rows.push(`2026-0${1 + (i % 2)}-${day} ${time},${channel},${(i * 37) % 97},${answered ? 'answered' : 'abandoned'},${answered ? 120 + ((i * 13) % 400) : ''}`);
    if (i === count - 1000) rows.push('2026-02-03 10:00:00,voice,12');
    if (i === count - 500) rows.push('2026-02-03 10:00:00,voice,soon,answered,100');
  }
  return `${rows.join('\n')}\n`;
}

test('a big file is read on two cores, and is the same as read on one: rows, skipped lines and report', async () => {
  const { page } = await openPage(session);
  const text = fileToShare();
  const path = '/tmp/slacalc-shared.csv';
  writeFileSync(path, text);
  const terms = JSON.stringify({ period: 'month', targets: [
    { metric: 'serviceLevel', goal: 80, thresholdSecs: 20, scope: { channel: 'voice' } },
    { metric: 'waitPercentile', goal: 60, percentile: 90 },
    { metric: 'aht', goal: 300, scope: { channel: 'email' } },
  ] });
  await page.fill('#terms', terms);
  await page.click('#apply-terms');
  await settle(page);

  // The core's own reading in the page, as the bench times it: a second worker takes the last
  // part, and the dataset is the one stream's.
  await dropFile(page, path);
  const twoCores = await page.evaluate(async (terms) => {
    const { default: init, ImportStream } = await import('./pkg/slacalc.js');
    const { prepareSecondWorker, streamFile } = await import('./file-reader.js');
    await init();
    const file = document.querySelector('#bench-file').files[0];
    const read = async () => {
      const stream = new ImportStream(null, file.size);
      const shared = await streamFile(stream, file, null, () => {});
      const dataset = stream.finish();
      const result = { shared, quality: dataset.quality(), report: dataset.report(terms) };
      dataset.free();
      return result;
    };
    const alone = await read();
    prepareSecondWorker();
    return { alone, shared: await read() };
  }, terms);
  assert.equal(twoCores.alone.shared, false, 'no second worker started yet: read alone');
  assert.equal(twoCores.shared.shared, true, 'the second worker\'s part was taken over');
  assert.deepEqual(twoCores.shared.quality, twoCores.alone.quality);
  assert.deepEqual(twoCores.shared.report, twoCores.alone.report);
  const lines = text.split('\n');
  const lineOf = (row) => lines.indexOf(row) + 1;
  const firstLines = twoCores.shared.quality.skipped.map((group) => group.firstLines[0]).sort((a, b) => a - b);
  assert.deepEqual(firstLines, [lineOf('2026-02-03 10:00:00,voice,12'), lineOf('2026-02-03 10:00:00,voice,soon,answered,100')]);

  // A person's drop on the page (its worker, and the worker it starts) shows what a paste of
  // the same text does, read as one stream.
  await page.setInputFiles('#file', path);
  await settle(page);
  const dropped = { rows: await page.textContent('#quality p.rows'), scorecards: await readScorecards(page) };
  await page.$eval('#contacts', (box, text) => { box.value = text; }, text);
  await page.click('#compute');
  await settle(page);
  assert.deepEqual(dropped, { rows: await page.textContent('#quality p.rows'), scorecards: await readScorecards(page) });
  assert.equal(dropped.rows, '420,003 rows read · 420,001 used · 2 skipped');
  unlinkSync(path);
});

/** A page opened with `fileToShare()` written at `path` and put into it as a dropped file. */
async function pageWithFileToShare(path) {
  const { page } = await openPage(session);
  writeFileSync(path, fileToShare());
  await dropFile(page, path);
  return page;
}

test('a second worker that falls silent is given up, and its part read by the first', async () => {
  const path = '/tmp/slacalc-silent.csv';
  const page = await pageWithFileToShare(path);
  const read = await page.evaluate(async () => {
    // Every worker the reader starts from here on takes its messages and never answers.
    const Real = Worker;
    globalThis.Worker = class {
      #worker = new Real(URL.createObjectURL(new Blob([''], { type: 'text/javascript' })));
      postMessage() {}
      terminate() { this.#worker.terminate(); }
    };
    const { default: init, ImportStream } = await import('./pkg/slacalc.js');
    const { prepareSecondWorker, streamFile } = await import('./file-reader.js');
    await init();
    prepareSecondWorker();
    const file = document.querySelector('#bench-file').files[0];
    const started = performance.now();
    const stream = new ImportStream(null, file.size);
    // Without the watchdog the reading would wait for ever: said, not hung.
    const stalled = new Promise((resolve) => setTimeout(() => resolve('stalled after 20 s'), 20_000));
    const shared = await Promise.race([streamFile(stream, file, null, () => {}), stalled]);
    if (typeof shared === 'string') return { shared };
    const dataset = stream.finish();
    const result = { shared, seconds: (performance.now() - started) / 1000, quality: dataset.quality() };
    dataset.free();
    globalThis.Worker = Real;
    return result;
  });
  assert.equal(read.shared, false);
  assert.ok(read.seconds >= 5 && read.seconds < 15, `${read.seconds} s`);
  assert.equal(read.quality.rowsRead, 420_003);
  assert.equal(read.quality.rowsSkipped, 2);
  unlinkSync(path);
});

test('a file is read to its end however often the garbage collector runs meanwhile', async () => {
  const path = '/tmp/slacalc-collected.csv';
  const page = await pageWithFileToShare(path);
  const read = await page.evaluate(async () => {
    const { byteReader } = await import('./file-reader.js');
    const file = document.querySelector('#bench-file').files[0];
    // A slice, as each worker reads its part; nothing here holds its stream.
    const readAll = async (blob) => {
      const reader = byteReader(blob);
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return bytes;
        bytes += value.length;
      }
    };
    const collecting = setInterval(() => gc(), 5);
    const stalled = new Promise((resolve) => setTimeout(() => resolve('stalled after 10 s'), 10_000));
    const bytes = await Promise.race([readAll(file.slice(1000, file.size - 1000)), stalled]);
    clearInterval(collecting);
    return { bytes, expected: file.size - 2000 };
  });
  assert.equal(read.bytes, read.expected);
  unlinkSync(path);
});

test('a file past 200 MB is counted as it is read: the report of its rows, and a new threshold reads it again', async () => {
  const { page } = await openPage(session);
  // One block of calls, repeated past 200 MB: every rate, mean and percentile of the whole is
  // the block's, which the page reads held, contact by contact, as the reference.
  const block = [];
  for (let i = 0; i < 10_000; i++) {
    const day = 1 + (i % 28);
    const time = `${String(8 + (i % 10)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const answered = i % 11 !== 0;
    block.push(`2026-0${1 + (i % 2)}-${String(day).padStart(2, '0')} ${time},${['voice', 'chat'][i % 3 === 0 ? 1 : 0]},${(i * 37) % 97},${answered ? 'answered' : 'abandoned'},${answered ? 120 + ((i * 13) % 400) : ''}`);
  }
  const header = 'arrived,channel,wait,outcome,handle\n';
  const blockText = `${block.join('\n')}\n`;
  const repeats = Math.ceil(200e6 / Buffer.byteLength(blockText)) + 1;
  const path = '/tmp/slacalc-counted.csv';
  writeFileSync(path, header + blockText.repeat(repeats));
  const terms = (thresholdSecs, extra = []) => JSON.stringify({
    period: 'month',
    targets: [
      { metric: 'serviceLevel', goal: 80, thresholdSecs, scope: { channel: 'voice' } },
      { metric: 'asa', goal: 30 },
      { metric: 'waitPercentile', goal: 60, percentile: 90, scope: { channel: 'chat' } },
      { metric: 'aht', goal: 300 },
      ...extra,
    ],
  });
  const applyTerms = async (text) => {
    await page.fill('#terms', text);
    await page.click('#apply-terms');
    await settle(page);
  };
  await applyTerms(terms(20));
  // Put in as a paste puts it (typing 400 KB into the box would take minutes).
  await page.$eval('#contacts', (box, text) => { box.value = text; }, header + blockText);
  await page.click('#compute');
  await settle(page);
  const held20 = await readScorecards(page);
  await applyTerms(terms(25));
  const held25 = await readScorecards(page);
  assert.notDeepEqual(held25, held20);
  await applyTerms(terms(20));

  await page.setInputFiles('#file', path);
  await page.locator('.counted-note').waitFor();
  await settle(page);
  assert.match(await page.textContent('.counted-note'),
    /^Counted as read: this file \(2\d\d MB\) is past the 200 MB the page holds contact by contact, so its contacts were counted into 15-minute intervals as they were read, their answered waits to the second for the percentiles\./);
  assert.equal(await page.textContent('#quality p.rows'), `${(10_000 * repeats).toLocaleString('en-US')} rows read · ${(10_000 * repeats).toLocaleString('en-US')} used · 0 skipped`);
  assert.deepEqual(await readScorecards(page), held20);

  // A threshold the counts do not carry: the file is streamed again, with progress.
  await page.fill('#terms', terms(25));
  await page.click('#apply-terms');
  await page.waitForFunction(() => document.getElementById('progress-text').textContent.startsWith('Reading the rows…'));
  await settle(page);
  assert.deepEqual(await readScorecards(page), held25);

  // A target that reads each contact is refused, saying which; the counts stay loaded.
  await applyTerms(terms(25, [{ metric: 'maxWait', goal: 300 }]));
  assert.match(await page.textContent('#terms-error'), /but the longest wait reads each contact\. Remove that target/);
  await applyTerms(terms(25));
  assert.deepEqual(await readScorecards(page), held25);
  unlinkSync(path);
});

test('a huge file that is no CSV is refused from its first megabytes, without reading the rest', async () => {
  const { page } = await openPage(session);
  const path = '/tmp/slacalc-disk-image.csv';
  writeFileSync(path, '');
  truncateSync(path, 3e9); // sparse: 3 GB of zero bytes, none written
  await page.setInputFiles('#file', path);
  await page.locator('#error').waitFor();
  await settle(page);
  assert.equal(await page.textContent('#error'),
    'This is not text: the file holds binary data (a spreadsheet file? save it as CSV first).');
  unlinkSync(path);
});

test('after one visit the page works offline: the server gone, a reload still computes', async () => {
  const { server, url } = await startServer({ port: 0 });
  const context = await session.browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('#scorecards table').first().waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const online = await readScorecards(page);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));

  const response = await page.reload();
  assert.equal(response.fromServiceWorker(), true);
  await page.locator('#scorecards table').first().waitFor();
  await settle(page);
  assert.deepEqual(await readScorecards(page), online);
  await context.close();
});

test('the single-file build opens from file:// and computes the same report, asking for nothing', async () => {
  const file = new URL('dist/slacalc.html', repo);
  assert.ok(existsSync(file), 'dist/slacalc.html is built by the test command (scripts/build-single.mjs)');
  const { page: served } = await openPage(session);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file.pathname).href);
  await page.locator('#scorecards table').first().waitFor();
  await settle(page);
  assert.deepEqual(await readScorecards(page), await readScorecards(served));
  assert.deepEqual(requests.filter((address) => !address.startsWith('file:') && !address.startsWith('blob:')), []);
  await browser.close();
});

/** Presses Tab until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(page, selector, limit = 120) {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted), selector)) return;
  }
  assert.fail(`${selector} was not reached with Tab`);
}

test('every step can be done with the keyboard alone', async () => {
  const { page } = await openPage(session);
  await page.fill('#contacts', read('tests/data/foundation/three-months.csv'));
  await page.locator('body').focus();
  await tabTo(page, '#compute');
  await page.keyboard.press('Enter');
  await settle(page);
  await rowAppears(page, 'Service level ≥ 80 % in 20 s');
  assert.deepEqual((await readScorecards(page))[0].periods, ['2026-01', '2026-02', '2026-03']);

  await tabTo(page, '#terms-example');
  await page.keyboard.press('ArrowDown');
  await rowAppears(page, 'Service level ≥ 90 % in 30 s');
  await tabTo(page, 'input[aria-label="Goal of target 1 (%)"]');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('60');
  await rowAppears(page, 'Service level ≥ 60 % in 30 s');

  await tabTo(page, '#scorecards td.cell button');
  await page.keyboard.press('Enter');
  await page.locator('#explanation').waitFor();
  assert.match(await page.textContent('#explanation h3'), /^Service level ≥ 60 % in 30 s \(channel voice\) — 2026-01$/);
});

test('on a phone-width screen nothing overflows the page', async () => {
  const context = await session.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(session.url);
  await page.locator('#scorecards table').first().waitFor();
  await settle(page);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'the page is no wider than the screen (wide tables scroll inside their box)');
  await page.screenshot({ path: screenshot('phone.png') });
  await context.close();
});

test('a whole session asks nothing of any other origin', async () => {
  const { page, requests } = await openPage(session);
  await page.selectOption('#terms-example', 'examples/credits-practice.json');
  await page.locator('#credits .credits-table').waitFor();
  await page.click('#suggest');
  await page.locator('#suggestions article').first().waitFor();
  await settle(page);
  await page.selectOption('.add-target select', 'csat');
  await page.click('text=Add target');
  await settle(page);
  await page.click('#share');
  for (const id of ['#report-csv', '#report-json', '#credits-csv', '#export-terms', '#skipped-csv']) {
    if (await page.isVisible(id)) await downloadOf(page, id);
  }
  await page.emulateMedia({ media: 'print' });
  await page.pdf();
  const foreign = requests.filter((address) => !address.startsWith(session.url) && !/^(blob|data):/.test(address));
  assert.deepEqual(foreign, []);
  assert.ok(requests.length > 10, `the session made its own requests (${requests.length})`);
});
