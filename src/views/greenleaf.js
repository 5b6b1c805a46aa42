import { initAll } from '__NHSUK_FRONTEND__';

initAll();

// Session timeout warning (WCAG 2.2.1 Timing adjustable): warn before the idle limit and let
// the person stay signed in without losing what they are doing.
const dialog = document.getElementById('session-timeout');
if (dialog && typeof dialog.showModal === 'function') {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warn = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector('[data-countdown]');
  const form = dialog.querySelector('form');
  let warnTimer;
  let expireTimer;
  let tick;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    clearInterval(tick);
    warnTimer = setTimeout(() => {
      const deadline = Date.now() + warn;
      const update = () => {
        const left = Math.max(0, Math.ceil((deadline - Date.now()) / 60000));
        countdown.textContent = left === 1 ? '1 minute' : `${left} minutes`;
      };
      update();
      tick = setInterval(update, 15000);
      dialog.showModal();
    }, idle - warn);
    expireTimer = setTimeout(() => {
      window.location.assign('/signed-out?reason=timeout');
    }, idle);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (response.ok) {
      dialog.close();
      schedule();
    } else {
      window.location.assign('/signed-out?reason=timeout');
    }
  });
  // Autosave reaches the server, which resets its idle timer: so does this page.
  document.addEventListener('greenleaf:active', () => {
    if (!dialog.open) schedule();
  });
  schedule();
}
