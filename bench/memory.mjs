// What a dropped file costs the tab in memory: opens the page in headless Chromium under the
// benchmark's terms, samples the own resident memory of the page's renderer process (anonymous
// and shared pages: heaps, wasm memory, buffers — not the Chromium binary's mapped file, the
// same for any page; the page's workers run in that process) every 250 ms while a person's drop
// of the file is read and reported, and prints one JSON line (MB):
//   node bench/memory.mjs contacts.csv bench/terms.json
// before: the page at rest, its own sample computed (what any visit costs, whatever the file);
// peak: the most seen from the drop until the report is on screen and a second later; growth =
// peak − before, what the file itself costs, and growthPerFileSize = growth ÷ the file's size.
// MB are 10^6 bytes throughout. Linux only: it reads /proc.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { openSession } from '../tests/e2e/browser.mjs';

const [path, termsPath] = process.argv.slice(2);
const SAMPLE_MS = 250;

const MB = 1e6;

/** Own resident MB of each Chromium renderer process (the page's, and spare ones), by pid. */
function rendererMegabytes() {
  const byProcess = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kilobytes = ['RssAnon', 'RssShmem']
        .map((kind) => Number(status.match(new RegExp(`${kind}:\\s+(\\d+) kB`))?.[1] ?? 0))
        .reduce((sum, part) => sum + part, 0);
      byProcess.set(pid, (kilobytes * 1024) / MB);
    } catch {
      // The process ended between the listing and the read: nothing of it to count.
    }
  }
  return byProcess;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const session = await openSession();
try {
  const { page } = await session.newPage();
  await page.goto(session.url);
  await page.locator('#scorecards table').first().waitFor();
  await page.setInputFiles('#terms-file', termsPath);
  await page.locator('#busy').waitFor({ state: 'hidden' });
  await sleep(1000);
  const before = rendererMegabytes();
  const peaks = new Map(before);
  const sample = () => {
    for (const [pid, megabytes] of rendererMegabytes()) {
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, megabytes));
    }
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  // Done when the import account (the rows read) has changed and nothing is computing.
  const accountBefore = await page.locator('#quality').textContent();
  const dropped = performance.now();
  await page.setInputFiles('#file', path);
  await page.waitForFunction(
    (before) => document.getElementById('busy').hidden
      && document.getElementById('quality').textContent !== before,
    accountBefore,
    { polling: 50, timeout: 0 },
  );
  const onScreenMs = performance.now() - dropped;
  await sleep(1000);
  clearInterval(sampler);
  sample();
  // The page's process is the one the file made grow (its workers run in it).
  const [pagePid, peak] = [...peaks].reduce((most, entry) =>
    entry[1] - (before.get(entry[0]) ?? 0) > most[1] - (before.get(most[0]) ?? 0) ? entry : most);
  const atRest = before.get(pagePid) ?? 0;
  const fileMegabytes = statSync(path).size / MB;
  const growth = peak - atRest;
  console.log(JSON.stringify({
    fileMB: Math.round(fileMegabytes),
    beforeMB: Math.round(atRest),
    peakMB: Math.round(peak),
    growthMB: Math.round(growth),
    growthPerFileSize: Number((growth / fileMegabytes).toFixed(2)),
    onScreenMs: Math.round(onScreenMs),
  }));
} finally {
  await session.close();
}
