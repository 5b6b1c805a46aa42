// Greenleaf's service worker. One job: a participant who loses their signal still sees their
// "When I'm struggling" page: who to call, and what helps. It keeps that page (and the
// stylesheet and scripts it uses) from their last visit, and nothing else personal. Asked for
// any of their pages while there is no connection, it answers with that page.
//
// The copy belongs to one participant. Every page of ours names, in its Greenleaf-Participant
// header, the participant it was made for (none for staff or someone signed out); the copy
// keeps that name and goes as soon as a page is for anyone else or for nobody: signing out,
// being sent to sign in because the session ended on the server (even with no page open when
// it did), someone else signing in on the same phone. Page scripts do the same for what this
// worker does not see (sw-register.js).
const CACHE = 'greenleaf-struggling-v2';
const PAGE = '/me/struggling';
const OWNER = 'greenleaf-participant';
const ASSET = /\/assets\/[\w.-]+\.(?:css|js)/g;

self.addEventListener('install', () => {
  void self.skipWaiting();
});

// Copies kept by an earlier version of this worker name nobody: they go too.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

const forget = () => caches.delete(CACHE);

/** The page as it was, plus the stylesheet and scripts it names and the modules those import. */
async function keep(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const wanted = new Set(html.match(ASSET) || []);
  for (const path of [...wanted].filter((p) => p.endsWith('.js'))) {
    const hit = (await cache.match(path)) || (await fetch(path).catch(() => null));
    if (!hit || !hit.ok) continue;
    await cache.put(path, hit.clone());
    for (const imported of (await hit.clone().text()).match(ASSET) || []) wanted.add(imported);
  }
  for (const path of wanted) {
    if (!(await cache.match(path))) await cache.add(path).catch(() => undefined);
  }
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path !== PAGE && !wanted.has(path)) await cache.delete(request);
  }
  await cache.put(PAGE, response);
}

/** Keeps the page for its participant; any other page for someone else, or nobody, ends the copy. */
async function settle(url, response) {
  const owner = response.headers.get(OWNER);
  if (url.pathname === PAGE && response.ok && owner) return keep(response);
  const kept = await caches.match(PAGE, { cacheName: CACHE });
  if (kept && kept.headers.get(OWNER) !== owner) await forget();
}

/** The kept page, saying that it is the copy kept on this phone. */
async function offlineCopy() {
  const kept = await caches.match(PAGE, { cacheName: CACHE });
  if (!kept) return null;
  const html = (await kept.text()).replace('data-offline-notice hidden', 'data-offline-notice');
  const headers = new Headers(kept.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new Response(html, { status: 200, headers });
}

const participantPage = (url) => url.pathname === '/me' || url.pathname.startsWith('/me/');

async function navigate(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const copy = participantPage(url) ? await offlineCopy() : null;
    if (copy) return copy;
    throw error;
  }
  // A redirect comes back opaque: the page it leads to is fetched, and seen here, next.
  if (response.type !== 'opaqueredirect') event.waitUntil(settle(url, response.clone()));
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/sign-out') {
    event.waitUntil(forget());
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith('/assets/')) {
    // Kept assets are content-hashed, so a kept copy is always the right one.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === 'navigate') event.respondWith(navigate(event, url));
});
