// Registers the service worker that keeps "When I'm struggling" on the phone for when there
// is no signal (src/views/sw.js). Only for a signed-in participant: their pages are under /me,
// and the header's "When I'm struggling" link is on every page they see.
if (
  'serviceWorker' in navigator &&
  (location.pathname === '/me' ||
    location.pathname.startsWith('/me/') ||
    document.querySelector('a[href="/me/struggling"]'))
) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}

// The kept copy belongs to one participant (sw.js). A page for anyone else, or for nobody,
// removes it, as does a script hearing from the server that the session has ended: this
// covers what the worker does not see (a page loaded before it took control, an autosave's
// "signed out").
if ('caches' in window) {
  const STRUGGLING_COPY = 'greenleaf-struggling-v2';
  const forgetCopy = () => caches.delete(STRUGGLING_COPY).catch(() => undefined);
  const person = document.querySelector('meta[name="greenleaf-participant"]');
  caches
    .match('/me/struggling', { cacheName: STRUGGLING_COPY })
    .then((kept) => {
      if (kept && kept.headers.get('greenleaf-participant') !== (person ? person.content : null)) {
        return forgetCopy();
      }
      return undefined;
    })
    .catch(() => undefined);
  document.addEventListener('greenleaf:signed-out', () => {
    void forgetCopy();
  });
}
