// Greenleaf's service worker. One job: a participant who loses their signal still sees their
// "When I'm struggling" page: who to call, and what helps. It keeps that page (and the
// stylesheet and scripts it uses) from their last visit, and nothing else personal. Asked for
// any of their pages while there is no connection, it answers with that page.
//
// The copy is deleted when they sign out, when they are signed out for inactivity, and when
// the server answers this page with the way to sign in (their session has ended).
const CACHE = 'greenleaf-struggling-v1';
const PAGE = '/me/struggling';
const ASSET = /\/assets\/[\w.-]+\.(?:css|js)/g;

self.addEventListener('install', () => {
  void self.skipWaiting();
});

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

/** The kept page, saying that it is the copy kept on this phone. */
async function offlineCopy() {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(PAGE);
  if (!kept) return null;
  const html = (await kept.text()).replace('data-offline-notice hidden', 'data-offline-notice');
  const headers = new Headers(kept.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new Response(html, { status: 200, headers });
}

async function participantPage(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const copy = await offlineCopy();
    if (copy) return copy;
    throw error;
  }
  if (url.pathname === PAGE) {
    // A navigation's redirect comes back opaque: this page only redirects to sign in.
    if (response.type === 'opaqueredirect' || response.redirected) event.waitUntil(forget());
    else if (response.ok) event.waitUntil(keep(response.clone()));
  }
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
  if (request.mode !== 'navigate') return;
  if (url.pathname === '/signed-out') {
    event.waitUntil(forget());
    return;
  }
  if (url.pathname === '/me' || url.pathname.startsWith('/me/')) {
    event.respondWith(participantPage(event, url));
  }
});
