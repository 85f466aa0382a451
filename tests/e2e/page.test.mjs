// The page as a person uses it, in real headless Chromium: open it, paste, edit the terms,
// click a cell, read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { downloadOf, openPage as openBrowserPage, openSession, readQueue, readScorecards, settle } from './browser.mjs';
import { initSync, Dataset } from '../../www/pkg/slacalc.js';

const repo = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, repo), 'utf8');
let session;

before(async () => { session = await openSession(); });
after(async () => { await session?.close(); });

const openPage = () => openBrowserPage(session);

async function pasteAndCompute(page, text) {
  await page.fill('#contacts', text);
  await page.click('#compute');
  await settle(page);
}

async function applyTerms(page, terms) {
  await page.fill('#terms', typeof terms === 'string' ? terms : JSON.stringify(terms));
  await page.click('#apply-terms');
  await settle(page);
}

const serviceLevelOnly = (goal) => ({
  targets: [{ metric: 'serviceLevel', goal, thresholdSecs: 20 }],
});

test('the page opens with the sample data under the 80/20 example, as the core computes it', async () => {
  const { page, requests } = await openPage();
  const [monthly] = await readScorecards(page);
  assert.deepEqual(monthly.periods, ['2026-08', '2026-09', '2026-10']);
  assert.deepEqual(monthly.rows.map((row) => row.target), [
    'Service level ≥ 80 % in 20 s', 'ASA ≤ 30 s', 'Abandonment ≤ 5 %',
  ]);

  // What the person sees must be what the wasm core computes for the bundled sample.
  initSync({ module: readFileSync(new URL('www/pkg/slacalc_bg.wasm', repo)) });
  const expected = Dataset.fromCsv(read('www/sample/contacts.csv'))
    .report(read('www/examples/voice-80-20.json'));
  const shown = monthly.rows[0].cells.map((text) => text.split(' %')[0]);
  assert.deepEqual(shown, expected.targets[0].results.map((result) => result.actual.toFixed(1)));
  assert.deepEqual(monthly.rows[0].statuses, ['met', 'missed', 'met'], 'September misses 80/20');
  assert.match(monthly.rows[0].cells[1], /^\d+\.\d % −\d+\.\d pts$/);
  const rowsRead = expected.quality.rowsRead.toLocaleString('en-US');
  assert.ok(expected.quality.rowsRead > 3000, 'the sample has a few thousand contacts');
  assert.equal(await page.textContent('#quality p.rows'), `${rowsRead} rows read · ${rowsRead} used · 0 skipped`);
  assert.equal(await page.textContent('#report-title'), 'Voice queue — 80/20 · periods in UTC');

  await page.screenshot({ path: new URL('docs/screenshot.png', repo).pathname, fullPage: true });
  const foreign = requests.filter((url) => !url.startsWith(session.url));
  assert.deepEqual(foreign, [], 'no request leaves the page origin');
});

test('a pasted CSV shows its hand-computed service level for each month', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, read('tests/data/foundation/three-months.csv'));
  await applyTerms(page, serviceLevelOnly(80));
  const [monthly] = await readScorecards(page);
  assert.deepEqual(monthly.periods, ['2026-01', '2026-02', '2026-03']);
  assert.deepEqual(monthly.rows[0].cells, ['60.0 % −20.0 pts', '100.0 % +20.0 pts', '25.0 % −55.0 pts']);
  assert.deepEqual(monthly.rows[0].statuses, ['missed', 'met', 'missed']);
  assert.deepEqual((await readQueue(page)).map((row) => row.slice(0, 6)), [
    ['2026-01', '6', '0', '5', '4', '1'],
    ['2026-02', '3', '0', '3', '3', '0'],
    ['2026-03', '4', '0', '4', '2', '2'],
  ]);
  const quality = await page.textContent('#quality');
  assert.match(quality, /15 rows read · 13 used · 2 skipped/);
  assert.match(quality, /column "Wait": negative or infinite duration \(line 14\)/);

  const skipped = (await downloadOf(page, '#skipped-csv')).text.split('\n');
  assert.equal(skipped[0], 'line,reason,column,Arrived,Wait,Outcome,Agent');
  assert.equal(skipped[1], '14,negative or infinite duration,Wait,2026-03-06 10:00:00,-3,answered,bob');
});

test('editing the terms recomputes the verdicts from the data already loaded', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, read('tests/data/foundation/three-months.csv'));
  await applyTerms(page, serviceLevelOnly(50));
  const [monthly] = await readScorecards(page);
  assert.equal(monthly.rows[0].target, 'Service level ≥ 50 % in 20 s');
  assert.deepEqual(monthly.rows[0].cells, ['60.0 % +10.0 pts', '100.0 % +50.0 pts', '25.0 % −25.0 pts']);
});

test('impossible terms are refused with the field named, and the data stays loaded', async () => {
  const { page } = await openPage();
  await applyTerms(page, serviceLevelOnly(130));
  const error = page.locator('#terms-error');
  assert.equal(await error.isVisible(), true);
  assert.equal(await error.textContent(), 'Terms: targets[0].goal: 130 is not a percentage from 0 to 100');
  assert.deepEqual(await readScorecards(page), []);
  await applyTerms(page, '{"targets": [{"metric": "asa", "goal": 20, "treshold": 5}]}');
  assert.match(await error.textContent(), /^Terms: targets\[0\]: unknown field `treshold`/);
  await applyTerms(page, serviceLevelOnly(80));
  assert.equal(await error.isVisible(), false);
  assert.equal((await readScorecards(page))[0].rows[0].cells.length, 3);
});

test('clicking a cell explains it with the counts and the formula', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, read('tests/data/foundation/three-months.csv'));
  await applyTerms(page, serviceLevelOnly(80));
  await page.locator('#scorecards td.cell button').first().click();
  const panel = page.locator('#explanation');
  await panel.waitFor();
  assert.equal(await panel.locator('h3').textContent(), 'Service level ≥ 80 % in 20 s — 2026-01');
  assert.equal(await panel.locator('.verdict').textContent(),
    '✗ missed: 60.0 % against a goal of ≥ 80.0 % (−20.0 pts)');
  const facts = await panel.locator('dd').allTextContents();
  assert.equal(facts[0],
    '3 answered within 20 s ÷ (4 answered + 1 abandoned) = 60 %; 1 with another outcome (transferred, overflow…) not offered');
  assert.equal(facts[3], '6');
  await panel.getByRole('button', { name: 'Close' }).click();
  assert.equal(await panel.isVisible(), false);
});

test('the contact-center example shows a scorecard per period length and its exclusion', async () => {
  const { page } = await openPage();
  await page.selectOption('#terms-example', 'examples/contact-center.json');
  await page.locator('#scorecards table[data-period="isoWeek"]').waitFor();
  const [monthly, weekly] = await readScorecards(page);
  assert.equal(monthly.caption, 'Monthly · 9 targets');
  assert.equal(weekly.caption, 'Weekly (ISO weeks) · 1 target');
  assert.equal(weekly.periods[0], '2026-W31');
  assert.equal(weekly.rows[0].statuses[0], 'notJudged', 'the first, partial week is under 20 contacts');
  assert.match(await page.textContent('#exclusions'),
    /Client CRM outage \(incident 4711\): 12 contacts \(2026-09-14 10:00 → 2026-09-14 12:00\)/);
  assert.equal(await page.textContent('#report-title'), 'Multichannel contact center · periods in Europe/London');
});

test('a forecast CSV joins the terms and excludes the interval that ran above it', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, [
    'arrived,wait,outcome',
    '2026-09-01 09:00,60,answered', '2026-09-01 09:10,60,answered', '2026-09-01 09:20,60,abandoned',
    '2026-09-01 09:40,5,answered', '2026-09-01 09:50,5,answered',
  ].join('\n'));
  await applyTerms(page, serviceLevelOnly(80));
  const forecast = (text) => ({ name: 'forecast.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.setInputFiles('#forecast-file', forecast('start,contacts\n2026-09-01 09:00,2\n2026-09-01 09:30,2\n'));
  await page.locator('#exclusions li').waitFor();
  assert.equal(await page.textContent('#exclusions li'),
    'volume above forecast + 30 %: 3 contacts (2026-09-01T09:00+00:00: 3 offered vs 2 forecast)');
  assert.equal(JSON.parse(await page.inputValue('#terms')).forecast.per, 'interval30');
  assert.deepEqual((await readScorecards(page))[0].rows[0].cells, ['100.0 % +20.0 pts']);

  await page.setInputFiles('#forecast-file', forecast('start,contacts\n2026-09-01 09:00,lots\n'));
  await page.locator('#terms-error').waitFor();
  assert.equal(await page.textContent('#terms-error'), 'Forecast, line 2: "lots" is not a number of contacts ≥ 0');
});

test('the credits panel shows what the core computes, and follows a what-if edit at once', async () => {
  const { page } = await openPage();
  assert.match(await page.textContent('#credits'), /no money clauses/);
  await page.selectOption('#terms-example', 'examples/credits-practice.json');
  await page.locator('#credits .credits-table').waitFor();

  initSync({ module: readFileSync(new URL('www/pkg/slacalc_bg.wasm', repo)) });
  const expected = Dataset.fromCsv(read('www/sample/contacts.csv'))
    .report(read('www/examples/credits-practice.json')).credits;
  const explanations = await page.locator('#credits td.why').allTextContents();
  for (const line of expected.periods.flatMap((period) => period.lines)) {
    assert.ok(explanations.includes(line.explanation), line.explanation);
  }
  const september = expected.periods[1];
  assert.equal(september.credits, '3600.00');
  assert.match(await page.textContent('#credits .credit-totals'), /Credits−4,400\.00 EUR/);

  // What-if: a 5 % cap, typed into the terms, binds September at 2,000.00 without a click.
  const terms = JSON.parse(await page.inputValue('#terms'));
  terms.credits.capPercent = 5;
  await page.fill('#terms', JSON.stringify(terms, null, 2));
  await page.locator('#credits td.why', { hasText: 'exceed the cap of 5 %' }).waitFor();
  assert.match(await page.textContent('#credits .credit-totals'), /Credits−2,800\.00 EUR/);

  const { name, text: csv } = await downloadOf(page, '#credits-csv');
  assert.equal(name, 'slacalc-credits.csv');
  assert.match(csv, /^period,item,target period,status,amount,currency,explanation\n/);
  assert.match(csv, /2026-09,cap,,,-2000\.00,EUR,"credits 3,600\.00 exceed the cap of 5 % of 40,000\.00 = 2,000\.00/);
});

test('a block pasted from a spreadsheet is mapped by its headers, and a column can be remapped', async () => {
  const { page } = await openPage();
  await applyTerms(page, serviceLevelOnly(80));
  await pasteAndCompute(page, [
    'Call start\tQueue Time\tRing\tStatus',
    '01/02/2026 09:00\t00:00:05\t3\tAnswered',
    '01/02/2026 09:05\t00:00:50\t4\tAnswered',
    '13/02/2026 10:00\t00:00:10\t25\tAbandoned',
  ].join('\n'));
  const summary = await page.textContent('#quality details.import summary');
  assert.equal(summary, 'One contact per row, read as UTF-8, tab-separated, with a header · 3 of 4 columns used');
  const fieldOf = (column) => page.locator(`select[aria-label="Field of column ${column}"]`).inputValue();
  assert.deepEqual(
    [await fieldOf('Call start'), await fieldOf('Queue Time'), await fieldOf('Ring'), await fieldOf('Status')],
    ['arrived', 'wait', '', 'outcome'],
  );
  // February (13/02 settles day-first): 1 of 3 offered answered within 20 s.
  let [monthly] = await readScorecards(page);
  assert.deepEqual([monthly.periods, monthly.rows[0].cells], [['2026-02'], ['33.3 % −46.7 pts']]);

  await page.locator('#quality details.import').evaluate((details) => { details.open = true; });
  await page.selectOption('select[aria-label="Field of column Ring"]', 'wait');
  await page.locator('#quality .confidence.chosen').waitFor();
  await settle(page);
  assert.equal(await fieldOf('Queue Time'), '');
  [monthly] = await readScorecards(page);
  assert.deepEqual(monthly.rows[0].cells, ['66.7 % −13.3 pts']);
});

test('suggested targets come from the history and one click puts a goal into the terms', async () => {
  const { page } = await openPage();
  await page.selectOption('#terms-example', 'examples/credits-practice.json');
  await page.locator('#credits .credits-table').waitFor();
  await page.click('#suggest');
  await page.locator('#suggestions article').first().waitFor();
  await settle(page);

  initSync({ module: readFileSync(new URL('www/pkg/slacalc_bg.wasm', repo)) });
  const expected = Dataset.fromCsv(read('www/sample/contacts.csv')).suggest(read('www/examples/credits-practice.json'));
  const cards = page.locator('#suggestions article');
  assert.equal(await cards.count(), expected.length);
  const firstRows = await cards.first().locator('tbody tr').allTextContents();
  assert.equal(firstRows.length, 4);
  assert.match(firstRows[0], /^Current goal≥ 80\.0 %\d+ of 14/);
  const safe = expected[0].suggestions[0];
  assert.ok(firstRows[1].startsWith(`Safe (met 90 % of the time)≥ ${safe.goal.toFixed(1)} %${safe.met} of ${safe.judged}`), firstRows[1]);

  // The heat map and the staffing of the busiest hours, as the core computed them.
  const peaks = Dataset.fromCsv(read('www/sample/contacts.csv'))
    .peaks(read('www/examples/credits-practice.json'), { shrinkagePercent: 30 });
  assert.equal(await page.textContent('#peaks p.finding'), peaks.finding);
  assert.equal(await page.locator('#peaks table.heat-map tbody tr').count(), 7);
  const busiest = [...peaks.cells].filter((cell) => cell.staffing).sort((a, b) => b.averageOffered - a.averageOffered)[0];
  const firstStaffing = await page.locator('#peaks table.staffing tbody tr').first().locator('td').allTextContents();
  assert.equal(firstStaffing[4], String(busiest.staffing.required.agents));
  const staffingHeads = await page.locator('#peaks table.staffing th').allTextContents();
  const safeGoal = expected[0].suggestions[0].goal;
  assert.ok(staffingHeads.includes(`safe ≥ ${safeGoal} %: agents (scheduled)`), staffingHeads.join(' | '));
  await page.fill('#agents', '3');
  await page.press('#agents', 'Enter');
  await page.locator('#peaks table.staffing th', { hasText: 'With 3 agents' }).waitFor();

  await page.click(`button[aria-label="Apply safe goal to ${expected[0].label}"]`);
  await page.locator('#scorecards th.target', { hasText: `Service level ≥ ${safe.goal} % in 20 s` }).waitFor();
  assert.equal(JSON.parse(await page.inputValue('#terms')).targets[0].goal, safe.goal);
});

test('a pasted ACD interval report is recognised as one and computed from its counts', async () => {
  const { page } = await openPage();
  await applyTerms(page, {
    targets: [
      { metric: 'serviceLevel', goal: 80, thresholdSecs: 20 },
      { metric: 'serviceLevel', goal: 80, thresholdSecs: 15 },
    ],
  });
  await pasteAndCompute(page, read('tests/data/intervals/cms-split-skill.csv'));
  const summary = await page.textContent('#quality details.import summary');
  assert.match(summary, /^An interval report \(counts per interval\), read as UTF-8, comma-separated/);
  assert.equal(await page.locator('#input-shape').inputValue(), 'intervals');
  assert.match(await page.textContent('#quality'), /Intervals of 30 min/);
  // 99 answered within 20 s of 135 offered (tests/intervals.rs works it out).
  const [monthly] = await readScorecards(page);
  assert.deepEqual([monthly.periods, monthly.rows[0].cells[0]], [['2026-03'], '73.3 % −6.7 pts']);
  // 15 s is not one of the report's edges: said, not estimated.
  assert.match(await page.textContent('#scorecards'), /15 s needs an "Answered within 15s" column/);
  assert.deepEqual((await readQueue(page)).map((row) => row.slice(0, 6)), [['2026-03', '135', '0', '135', '120', '15']]);
});

test('a six-line monthly KPI summary pasted from a spreadsheet is judged as given and priced', async () => {
  const { page } = await openPage();
  await applyTerms(page, read('tests/data/kpis/terms.json'));
  // As a spreadsheet pastes it: tab-separated, thousands and percentages as displayed.
  const pasted = read('tests/data/kpis/monthly-summary.csv').trim().split('\n')
    .map((line) => line.match(/("[^"]*"|[^,]+)/g).map((cell) => cell.replaceAll('"', '')).join('\t'))
    .join('\n');
  await pasteAndCompute(page, pasted);
  assert.match(await page.textContent('#quality details.import summary'),
    /^A KPI history \(values per period, used as given\), read as UTF-8, tab-separated/);
  assert.equal(await page.locator('#input-shape').inputValue(), 'kpis');
  const [monthly] = await readScorecards(page);
  assert.deepEqual(monthly.periods, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
  assert.deepEqual(monthly.rows[0].cells.slice(0, 3), ['78.2 % −1.8 pts', '81.0 % +1.0 pts', '74.5 % −5.5 pts']);
  // tests/kpis.rs works the credits out by hand: 1,000 + 4,800 (capped) + 800.
  assert.match(await page.textContent('#credits .credit-totals'), /Credits−6,600\.00 EUR/);
  // A KPI history has volumes, not counts: the queue table says so rather than showing zeros.
  assert.deepEqual((await readQueue(page))[0].slice(0, 6), ['2026-01', '12,400', '0', '—', '—', '—']);
  // No hours to chart: the staffing panel gives the busiest month's average load instead.
  assert.equal(await page.locator('#peaks table').count(), 0);
  assert.match(await page.textContent('#peaks .finding'), /the busiest period, 2026-03, brought 13,100 contacts at an AHT of 315 s/);
});

test('an Avaya report with numbered increments is judged once the user types their edges', async () => {
  const { page } = await openPage();
  await applyTerms(page, serviceLevelOnly(80));
  await pasteAndCompute(page, read('tests/data/intervals/cms-hsplit-increments.csv'));
  assert.equal(await page.locator('#input-shape').inputValue(), 'intervals');
  // Without the edges the counts within 20 s are unknown, and the page says what to give.
  assert.match(await page.textContent('#quality details.import'), /The answered increments are numbered \(ACDCALLS1…10\): give their edges/);
  assert.match(await page.textContent('#scorecards'), /or the edges of its numbered increments/);
  await page.fill('#increment-edges', '5, 10, 20, 30, 60, 90, 120, 180, 300');
  await page.press('#increment-edges', 'Enter');
  await settle(page);
  await page.waitForFunction(() => document.getElementById('increment-edges')?.value.startsWith('5, 10, 20'));
  const [monthly] = await readScorecards(page);
  // tests/intervals.rs: increments 1–3 hold 67 of 100 answered + 15 abandoned.
  assert.deepEqual(monthly.rows[0].cells.slice(0, 1), ['58.3 % −21.7 pts']);
});

test('"Too big to paste?" writes the warehouse SQL for the extract on the page, as the core does', async () => {
  const { page } = await openPage();
  await page.click('#pushdown summary');
  const sqlShows = (text) => page.waitForFunction((wanted) => document.getElementById('sql-text').value.includes(wanted), text);
  await sqlShows('time_bucket');
  initSync({ module: readFileSync(new URL('www/pkg/slacalc_bg.wasm', repo)) });
  const dataset = Dataset.fromCsv(read('www/sample/contacts.csv'));
  const terms = read('www/examples/voice-80-20.json');
  assert.equal(await page.inputValue('#sql-text'), dataset.pushDownSql({ dialect: 'duckDb' }, terms));
  assert.match(await page.inputValue('#sql-text'), /SUM\(CASE WHEN outcome = 'A' AND wait IS NOT NULL AND wait <= 20 THEN 1 ELSE 0 END\) AS "Answered within 20s"/);
  // Another warehouse and table: Spark quotes with backticks; UTC arrivals are converted.
  await page.selectOption('#sql-dialect', 'spark');
  await page.fill('#sql-table', 'crm.calls');
  await page.check('#sql-utc');
  await sqlShows('FROM crm.calls');
  const spark = await page.inputValue('#sql-text');
  assert.match(spark, /from_utc_timestamp\(CAST\(`arrived` AS TIMESTAMP\), 'UTC'\)/);
  assert.equal(spark, dataset.pushDownSql({ dialect: 'spark', table: 'crm.calls', arrivedIsUtc: true }, terms));
  dataset.free();
});

test('a malformed paste shows an error message, not a blank page', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, 'this is not, a contact file\n1,2\n');
  const error = page.locator('#error');
  assert.equal(await error.isVisible(), true);
  assert.equal(
    await error.textContent(),
    'No column for "arrived" (e.g. "arrived", "Created at", or "Date" and "Time") in the header (line 1). Found: "this is not", "a contact file".',
  );
  assert.deepEqual(await readScorecards(page), []);

  await pasteAndCompute(page, '');
  assert.match(await error.textContent(), /^The data is empty/);
  assert.equal(await page.locator('h1').textContent(), 'slacalc');
});
