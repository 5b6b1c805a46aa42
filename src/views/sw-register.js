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
