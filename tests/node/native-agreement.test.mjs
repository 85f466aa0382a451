// The wasm build, loaded in Node exactly as scripts would use it, must give the same report as
// the native core: both are compared with the golden document that `cargo test` checks
// (tests/foundation.rs writes and verifies it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Dataset, defaultTerms } from '../../www/pkg/slacalc.js';

initSync({ module: readFileSync(new URL('../../www/pkg/slacalc_bg.wasm', import.meta.url)) });

const fixture = (path) => readFileSync(new URL(`../data/${path}`, import.meta.url), 'utf8');

test('the wasm report of the three-month fixture equals the native golden report', () => {
  const dataset = Dataset.fromCsv(fixture('foundation/three-months.csv'));
  const report = dataset.report(defaultTerms());
  const golden = JSON.parse(fixture('foundation/three-months.report.json'));
  assert.deepStrictEqual(report, golden);
  dataset.free();
});

test('the default terms are 80 % in 20 s', () => {
  assert.deepStrictEqual(defaultTerms(), {
    version: 1,
    targets: [{ metric: 'serviceLevel', goal: 80, thresholdSecs: 20 }],
  });
});

test('a terms edit recomputes from the held dataset', () => {
  const dataset = Dataset.fromCsv(fixture('foundation/three-months.csv'));
  const lenient = dataset.report({ targets: [{ metric: 'serviceLevel', goal: 50, thresholdSecs: 25 }] });
  // January at 25 s: waits 0, 20, 21, 5 answered within, one abandon → 4 / 5 = 80 %.
  assert.equal(lenient.targets[0].results[0].actual, 80);
  assert.equal(lenient.targets[0].results[0].status, 'met');
  dataset.free();
});
