// The wasm build, loaded in Node exactly as scripts would use it, must give the same reports as
// the native core: both are compared with the golden documents that `cargo test` checks
// (tests/foundation.rs and tests/engine.rs write and verify them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Dataset, defaultTerms } from '../../www/pkg/slacalc.js';

initSync({ module: readFileSync(new URL('../../www/pkg/slacalc_bg.wasm', import.meta.url)) });

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const cases = [
  ['tests/data/foundation/three-months.csv', null, 'tests/data/foundation/three-months.report.json'],
  ['www/sample/contacts.csv', 'www/examples/contact-center.json', 'tests/data/engine/sample-contact-center.report.json'],
  ['tests/data/engine/tickets.csv', 'www/examples/helpdesk.json', 'tests/data/engine/tickets-helpdesk.report.json'],
  ['www/sample/contacts.csv', 'www/examples/credits-practice.json', 'tests/data/engine/sample-credits-practice.report.json'],
  // An interval report: the shape is told from the header in both builds.
  ['tests/data/intervals/genesys-queue-performance.csv', 'tests/data/intervals/terms.json', 'tests/data/intervals/genesys.report.json'],
  // A KPI history with European writing: values as given, credits from the same engine.
  ['tests/data/kpis/european.csv', 'tests/data/kpis/terms.json', 'tests/data/kpis/european.report.json'],
];

for (const [data, terms, golden] of cases) {
  test(`the wasm report of ${data} equals the native golden report`, () => {
    const dataset = Dataset.fromCsv(read(data));
    // Terms as JSON text (the page's way) and as an object (a script's way) give one report.
    const report = dataset.report(terms ? read(terms) : defaultTerms());
    assert.deepStrictEqual(report, JSON.parse(read(golden)));
    if (terms) assert.deepStrictEqual(dataset.report(JSON.parse(read(terms))), report);
    dataset.free();
  });
}

test('the default terms are 80 % in 20 s', () => {
  assert.deepStrictEqual(defaultTerms(), {
    version: 1,
    targets: [{ metric: 'serviceLevel', goal: 80, thresholdSecs: 20 }],
  });
});

test('a terms edit recomputes from the held dataset', () => {
  const dataset = Dataset.fromCsv(read('tests/data/foundation/three-months.csv'));
  const lenient = dataset.report({ targets: [{ metric: 'serviceLevel', goal: 50, thresholdSecs: 25 }] });
  // January at 25 s: waits 0, 20, 21, 5 answered within, one abandon → 4 / 5 = 80 %.
  assert.equal(lenient.targets[0].results[0].actual, 80);
  assert.equal(lenient.targets[0].results[0].status, 'met');
  dataset.free();
});
