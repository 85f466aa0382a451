// The page's messenger to the worker, with stand-in workers: a crash or a cancel fails what was
// pending and starts a fresh worker; a worker that cannot start is not restarted in a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cancelled, SlacalcClient } from '../../www/client.js';

/** A worker stand-in that records what it is sent and answers when told to. */
class FakeWorker {
  sent = [];
  terminated = false;
  postMessage(message) { this.sent.push(message); }
  terminate() { this.terminated = true; }
  reply(data) { this.onmessage({ data }); }
  fail(message) { this.onerror({ message, preventDefault() {} }); }
}

function clientWithFakes() {
  const workers = [];
  const restarts = [];
  const progress = [];
  const client = new SlacalcClient(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker;
  }, { onRestart: (reason) => restarts.push(reason), onProgress: (step) => progress.push(step) });
  return { client, workers, restarts, progress };
}

test('a reply settles its request, and progress goes to the listener', async () => {
  const { client, workers, progress } = clientWithFakes();
  const report = client.report('{}');
  const { id, type, terms } = workers[0].sent[0];
  assert.deepEqual({ type, terms }, { type: 'report', terms: '{}' });
  workers[0].reply({ progress: { phase: 'parsing', done: 1, total: 2 } });
  workers[0].reply({ id, ok: true, value: 'the report' });
  assert.equal(await report, 'the report');
  assert.deepEqual(progress, [{ phase: 'parsing', done: 1, total: 2 }]);
});

test('a crashed wasm fails its request with the panic message and a fresh worker takes over', async () => {
  const { client, workers, restarts } = clientWithFakes();
  const first = client.report('{}');
  workers[0].reply({ id: workers[0].sent[0].id, ok: false, error: 'slacalc panicked: boom', fatal: true });
  await assert.rejects(first, /slacalc panicked: boom/);
  assert.equal(workers[0].terminated, true);
  assert.equal(workers.length, 2);
  assert.deepEqual(restarts, ['The calculator hit an internal error and was restarted: slacalc panicked: boom']);

  const second = client.fields();
  workers[1].reply({ id: workers[1].sent[0].id, ok: true, value: [] });
  assert.deepEqual(await second, []);
});

test('cancel fails what is pending as Cancelled and starts a fresh worker', async () => {
  const { client, workers, restarts } = clientWithFakes();
  workers[0].reply({ id: 0, ok: true, value: null });
  const load = client.load('a,b', {});
  client.cancel();
  await assert.rejects(load, Cancelled);
  assert.equal(workers.length, 2);
  assert.deepEqual(restarts, ['Cancelled.']);
});

test('a worker that fails before its first answer is not restarted in a loop', async () => {
  const { client, workers, restarts } = clientWithFakes();
  const fields = client.fields();
  workers[0].fail('SyntaxError in the worker');
  await assert.rejects(fields, /The calculator could not start: SyntaxError in the worker/);
  assert.equal(workers.length, 1);
  assert.deepEqual(restarts, []);
});

test('a worker that stops after working is restarted, and says so', async () => {
  const { client, workers, restarts } = clientWithFakes();
  const fields = client.fields();
  workers[0].reply({ id: workers[0].sent[0].id, ok: true, value: [] });
  await fields;
  const report = client.report('{}');
  workers[0].fail('out of memory');
  await assert.rejects(report, /The calculator stopped: out of memory/);
  assert.equal(workers.length, 2);
  assert.deepEqual(restarts, ['The calculator stopped: out of memory']);
});
