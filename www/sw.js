// Offline use: every file the page needs is cached on the first visit. Requests go to the
// network first, so a served page is always current, and fall back to the cache when the
// network (or the server) is gone. Only this origin's GET requests are handled; there are no
// others.
const CACHE = 'slacalc-v1';

// Every file of the page; tests/node/offline-list.test.mjs keeps this list complete.
const FILES = [
  './',
  'index.html',
  'style.css',
  'main.js',
  'charts.js',
  'client.js',
  'credits.js',
  'dom.js',
  'download.js',
  'file-reader.js',
  'format.js',
  'importview.js',
  'peaks.js',
  'platform.js',
  'pushdown.js',
  'scorecard.js',
  'second-worker.js',
  'share.js',
  'suggestions.js',
  'termsform.js',
  'wasm-source.js',
  'worker.js',
  'terms.schema.json',
  'report.schema.json',
  'pkg/slacalc.js',
  'pkg/slacalc_bg.wasm',
  'sample/contacts.csv',
  'examples/chat-60s.json',
  'examples/contact-center.json',
  'examples/credits-cloud-availability.json',
  'examples/credits-practice.json',
  'examples/email-24h-business-hours.json',
  'examples/helpdesk.json',
  'examples/vip-tier.json',
  'examples/voice-80-20.json',
  'examples/voice-90-30.json',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const [response, cached] = await Promise.all([fetch(request), cache.match(request)]);
      // Stored only when it changed (its validator differs from the stored copy's), and while
      // the page already has it: writing a copy of every answer, awaited, was 20 ms of the
      // wasm's start-up on every visit.
      const tag = response.headers.get('ETag');
      if (response.ok && (!tag || cached?.headers.get('ETag') !== tag)) {
        event.waitUntil(cache.put(request, response.clone()));
      }
      return response;
    } catch (error) {
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
