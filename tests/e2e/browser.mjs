// Shared set-up for the browser tests: the page served on a free loopback port, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
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
];

export async function openSession() {
  const { server, url } = await startServer({ port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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
