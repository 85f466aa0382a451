// Shared set-up for the browser tests: the page served on a free loopback port, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // `gc()` for the test that collects garbage while a file is read.
  '--js-flags=--expose-gc',
];

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function openSession() {
  const { server, url } = await startServer({ port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  return {
    url,
    browser,
    async newPage() {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const requests = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => { throw error; });
      return { page, requests };
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Opens the page at `path` (e.g. a share link's fragment) and waits for its first report. */
export async function openPage(session, path = '') {
  const { page, requests } = await session.newPage();
  await page.goto(session.url + path);
  await page.locator('#scorecards table').first().waitFor();
  await settle(page);
  return { page, requests };
}

/** Waits until the page has finished computing. */
export async function settle(page) {
  await page.locator('#busy').waitFor({ state: 'hidden' });
}

/** Clicks `selector` and resolves to the downloaded file's name and text. */
export async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

/**
 * The scorecards as a person reads them: per table, its caption, its period headings, and per
 * target row the label and each cell's value and margin ("60.0 % −20.0 pts").
 */
export function readScorecards(page) {
  return page.$$eval('#scorecards table', (tables) => tables.map((table) => ({
    caption: table.caption.textContent,
    periods: [...table.tHead.rows[0].cells].slice(1).map((cell) => cell.textContent),
    rows: [...table.tBodies[0].rows].map((row) => ({
      target: row.cells[0].firstChild.textContent,
      cells: [...row.cells].slice(1).map((cell) =>
        [...cell.querySelectorAll('span')].map((span) => span.textContent).join(' ')),
      statuses: [...row.cells].slice(1).map((cell) => cell.className.replace('cell ', '')),
    })),
  })));
}

/** The queue-figures table: one array of cell texts per row. */
export function readQueue(page) {
  return page.$$eval('#queue tbody tr', (rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent.trim())));
}
