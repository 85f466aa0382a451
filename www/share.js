// The share link: the terms (never the data) compressed into the URL's fragment, which the
// browser does not send to any server. Opening the link restores the terms.

const PREFIX = '#terms=';

async function transform(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The page's address with `termsText` in its fragment (minified when it is valid JSON). */
export async function shareLink(termsText, pageUrl = location.href) {
  let compact = termsText;
  try {
    compact = JSON.stringify(JSON.parse(termsText));
  } catch {
    // Shared as typed: the recipient sees the same text and the same error.
  }
  const packed = await transform(new TextEncoder().encode(compact), new CompressionStream('deflate-raw'));
  const url = new URL(pageUrl);
  url.hash = PREFIX.slice(1) + toBase64Url(packed);
  return url.href;
}

/** The terms text carried by `hash`, `null` when it carries none; throws when it is damaged. */
export async function termsFromHash(hash = location.hash) {
  if (!hash.startsWith(PREFIX)) return null;
  let text;
  try {
    const packed = fromBase64Url(hash.slice(PREFIX.length));
    text = new TextDecoder('utf-8', { fatal: true })
      .decode(await transform(packed, new DecompressionStream('deflate-raw')));
  } catch {
    throw new Error('The link’s terms could not be read (it may have been cut short when copied). The page opened with its default terms instead.');
  }
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}
