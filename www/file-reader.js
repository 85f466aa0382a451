// How a file's bytes are read into the core: by the page's worker, and by the benchmark that
// times it.

/**
 * A reader of `file`'s bytes that reads each chunk into one reused megabyte (a BYOB reader)
 * where the browser allows: a new array for each 64 KB chunk left a 2 GB file's reading a
 * gigabyte of garbage ahead of the collector. Each chunk is valid until the next `read()`.
 */
export function byteReader(file) {
  const stream = file.stream();
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
