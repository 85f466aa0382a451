// The page as a person uses it, in real headless Chromium: open it, paste, click, read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openSession, readResults } from './browser.mjs';
import { initSync, Dataset, defaultTerms } from '../../www/pkg/slacalc.js';

const repo = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, repo), 'utf8');
let session;

before(async () => { session = await openSession(); });
after(async () => { await session?.close(); });

async function openPage() {
  const { page, requests } = await session.newPage();
  await page.goto(session.url);
  await page.locator('#results tbody tr').first().waitFor();
  return { page, requests };
}

async function pasteAndCompute(page, text) {
  await page.fill('#contacts', text);
  await page.click('#compute');
  await page.locator('#busy').waitFor({ state: 'hidden' });
}

test('the page opens with the sample data computed, as the core computes it', async () => {
  const { page, requests } = await openPage();
  const rows = await readResults(page);
  assert.deepEqual(rows.map((row) => row[0]), ['2026-08', '2026-09', '2026-10']);

  // What the person sees must be what the wasm core computes for the bundled sample.
  initSync({ module: readFileSync(new URL('www/pkg/slacalc_bg.wasm', repo)) });
  const expected = Dataset.fromCsv(read('www/sample/contacts.csv')).report(defaultTerms());
  const shownServiceLevels = rows.map((row) => row[4]);
  const computed = expected.targets[0].results.map((result) => `${result.actual.toFixed(1)} %`);
  assert.deepEqual(shownServiceLevels, computed);
  assert.match(rows[1][5], /^✗ missed \(−\d+\.\d pts\)$/, 'September misses 80/20');
  assert.match(rows[0][5], /^✓ met \(\+\d+\.\d pts\)$/);
  const rowsRead = expected.quality.rowsRead.toLocaleString('en-US');
  assert.ok(expected.quality.rowsRead > 3000, 'the sample has a few thousand contacts');
  assert.equal(await page.textContent('#quality'), `${rowsRead} rows read · ${rowsRead} used · 0 skipped`);

  await page.screenshot({ path: new URL('docs/screenshot.png', repo).pathname, fullPage: true });
  const foreign = requests.filter((url) => !url.startsWith(session.url));
  assert.deepEqual(foreign, [], 'no request leaves the page origin');
});

test('a pasted CSV shows its hand-computed service level for each month', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, read('tests/data/foundation/three-months.csv'));
  const rows = await readResults(page);
  assert.deepEqual(rows.map((row) => [row[0], row[1], row[4], row[5]]), [
    ['2026-01', '5', '60.0 %', '✗ missed (−20.0 pts)'],
    ['2026-02', '3', '100.0 %', '✓ met (+20.0 pts)'],
    ['2026-03', '4', '25.0 %', '✗ missed (−55.0 pts)'],
  ]);
  const quality = await page.textContent('#quality');
  assert.match(quality, /15 rows read · 13 used · 2 skipped/);
  assert.match(quality, /column "Wait": negative or infinite duration \(line 14\)/);
});

test('editing the goal recomputes the verdicts at once', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, read('tests/data/foundation/three-months.csv'));
  await page.fill('#sl-goal', '50');
  await page.press('#sl-goal', 'Enter');
  await page.locator('#results caption', { hasText: '≥ 50 %' }).waitFor();
  const rows = await readResults(page);
  assert.deepEqual(rows.map((row) => row[5]), ['✓ met (+10.0 pts)', '✓ met (+50.0 pts)', '✗ missed (−25.0 pts)']);
});

test('a malformed paste shows an error message, not a blank page', async () => {
  const { page } = await openPage();
  await pasteAndCompute(page, 'this is not, a contact file\n1,2\n');
  const error = page.locator('#error');
  assert.equal(await error.isVisible(), true);
  assert.equal(
    await error.textContent(),
    'No column named "arrived" in the header (line 1). Found: "this is not", "a contact file".',
  );
  assert.deepEqual(await readResults(page), []);

  await pasteAndCompute(page, '');
  assert.match(await error.textContent(), /^The data is empty/);
  assert.equal(await page.locator('h1').textContent(), 'slacalc');
});
