// How a file's bytes are read into the core: by the page's worker, and by the benchmark that
// times it. A big file is read on two cores: while the page's worker streams the file's start
// into its ImportStream, a second worker — the same worker script, started again — reads the
// file's last part into a LastPart and posts its contacts as bytes, which the core then takes
// over as if it had read them (the core decides where, whether, and checks what it takes).
import { LastPart, layoutPrefixBytes } from './pkg/slacalc.js';
import { startSecondWorker } from './second-worker.js';

// The streams being read, reachable from here until read to their end or cancelled. Chromium
// collects a file's stream that nothing in JavaScript reaches — a reading awaited is reachable
// only from the stream itself — and the read it was waiting for then never ends: a fresh
// page's first big file hung in one try in two in the browser tests. (WebKit fixed the same in
// its own streams in 2025.)
const streamsBeingRead = new Set();

/**
 * A reader of `file`'s bytes (a `Blob`: a whole file or a slice): `read()` gives
 * `{ done, value }` as a stream reader does, `cancel()` stops it.
 */
export function byteReader(file) {
  const stream = file.stream();
  const reader = chunkReader(stream);
  streamsBeingRead.add(stream);
  return {
    async read() {
      const chunk = await reader.read();
      if (chunk.done) streamsBeingRead.delete(stream);
      return chunk;
    },
    cancel() {
      streamsBeingRead.delete(stream);
      return reader.cancel();
    },
  };
}

/**
 * Reads each chunk of `stream` into one reused megabyte (a BYOB reader) where the browser
 * allows: a new array for each 64 KB chunk left a 2 GB file's reading a gigabyte of garbage
 * ahead of the collector. Each chunk is valid until the next `read()`.
 */
function chunkReader(stream) {
  let byob;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream in this browser: chunks as it gives them.
    return stream.getReader();
  }
  let buffer = new ArrayBuffer(1 << 20);
  return {
    async read() {
      const chunk = await byob.read(new Uint8Array(buffer));
      // The buffer was handed to the stream and comes back with the chunk.
      if (!chunk.done) buffer = chunk.value.buffer;
      return chunk;
    },
    cancel: () => byob.cancel(),
  };
}

/** Pushes each chunk `reader` reads into `sink`, telling `onRead(bytes pushed)` after each. */
async function pushAll(reader, sink, onRead) {
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      sink.push(value);
      read += value.length;
      onRead(read);
    }
  } catch (error) {
    // The rest is not needed: the core refused the input, or the part's reading failed.
    reader.cancel();
    throw error;
  }
}

/**
 * Reads `file` into `stream` (an ImportStream made for it with `options`), telling
 * `onProgress(bytes read)` as it goes. When the core says the file is worth sharing and a
 * second worker is ready (see `prepareSecondWorker`), that worker reads the file's last part,
 * from where the core says, while this one reads up to it. Gives whether it did (the core took
 * its part over). Throws what the stream throws; the caller finishes the stream.
 */
export async function streamFile(stream, file, options, onProgress) {
  const from = stream.lastPartFrom;
  const start = from === undefined || !spareWorker ? undefined : await lineStartFrom(file, from);
  if (start === undefined) {
    await pushAll(byteReader(file), stream, onProgress);
    return false;
  }
  // The start that decides the layout, read once for both workers: the second decides it
  // from these very bytes.
  const prefix = new Uint8Array(await file.slice(0, layoutPrefixBytes()).arrayBuffer());
  const helper = new PartHelper(file, options, prefix, start);
  try {
    stream.push(prefix);
    await pushAll(byteReader(file.slice(prefix.length, start)), stream, (read) => onProgress(prefix.length + read + helper.read));
    const handed = await helper.handed;
    if (handed && stream.takeLastPart(handed.batches, handed.last)) return true;
    // Not taken (begun inside a quoted cell, the second worker failed…): read here, as one
    // stream would, slower and the same.
    await pushAll(byteReader(file.slice(start)), stream, (read) => onProgress(start + read));
    return false;
  } finally {
    helper.stop();
  }
}

/**
 * Just past the first line end at or after `from` in `file`, where a last part begins (a
 * guess the core checks: the line end may be inside quotes); undefined when none is within
 * 64 KB (lines that long: the file is read as one stream).
 */
async function lineStartFrom(file, from) {
  const around = new Uint8Array(await file.slice(from, from + (64 << 10)).arrayBuffer());
  const lineEnd = around.indexOf(0x0a);
  return lineEnd < 0 ? undefined : from + lineEnd + 1;
}

// The second worker, started ahead of a file: started during one, it would take longer than
// reading 20 MB, and slow the reading down meanwhile (two cores shared by three). About 9 MB
// of memory while it waits.
let spareWorker = null;
const SECOND_WORKER = 'slacalc-second-worker';

/**
 * Starts the second worker ahead of the next file, when this machine has a second core, none
 * is started, and this is not the second worker itself. Called by the page's worker once
 * ready, and after each file shared.
 */
export function prepareSecondWorker() {
  if (spareWorker || navigator.hardwareConcurrency < 2 || self.name === SECOND_WORKER) return;
  try {
    spareWorker = startSecondWorker(SECOND_WORKER);
  } catch {
    // Not allowed here (the single-file page from file://, whose origin is opaque, cannot
    // start a worker from a worker): files are read by one worker, as on one core.
  }
}

/**
 * The second worker reading `file`'s last part from `start`, given the file's `prefix`:
 * `read`, the bytes it has read; `handed`, resolving to `{ batches, last }` for
 * `ImportStream.takeLastPart`, or null when it read nothing it can hand over.
 */
class PartHelper {
  read = 0;
  handed;
  #worker;
  #watch;

  // A worker silent this long has stalled (it tells of each megabyte it reads) or died without
  // a word (out of memory): given up, its part is read by the page's worker.
  static #SILENT_MS = 5000;

  constructor(file, options, prefix, start) {
    this.#worker = spareWorker;
    spareWorker = null;
    this.handed = new Promise((resolve) => {
      const batches = [];
      let heard = performance.now();
      this.#worker.onmessage = ({ data }) => {
        heard = performance.now();
        if (data.batch) batches.push(data.batch);
        else if (data.progress) this.read = data.progress.done;
        else resolve(data.ok && data.value ? { batches, last: data.value } : null);
      };
      this.#worker.onerror = () => resolve(null);
      this.#watch = setInterval(() => {
        if (performance.now() - heard > PartHelper.#SILENT_MS) resolve(null);
      }, 1000);
    });
    // The prefix copied (8 MB in a few milliseconds): this worker pushes it too.
    this.#worker.postMessage({ type: 'readLastPart', file, options, prefix, start });
  }

  /** Ends the worker (and its memory), and starts the next. */
  stop() {
    clearInterval(this.#watch);
    this.#worker.terminate();
    prepareSecondWorker();
  }
}

/**
 * The second worker's side: reads the last part of `file`, from `start`, with the layout its
 * start `prefix` shows, posting each batch of contacts and its progress as it goes
 * (`post(message, transfer)`); gives the last bytes, or null when the file is not shared.
 */
export async function readLastPart(file, options, prefix, start, post) {
  const part = LastPart.open(options, prefix);
  if (!part) return null;
  const BYTES_BETWEEN_REPORTS = 1 << 20;
  let reported = 0;
  try {
    await pushAll(byteReader(file.slice(start)), part, (read) => {
      const batch = part.takeBatch();
      if (batch) post({ batch }, [batch.buffer]);
      if (read - reported >= BYTES_BETWEEN_REPORTS) {
        reported = read;
        post({ progress: { phase: 'parsing', done: read, total: file.size - start } });
      }
    });
  } catch (error) {
    part.free();
    throw error;
  }
  return part.finish();
}
