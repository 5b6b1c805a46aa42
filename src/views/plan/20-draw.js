// Drawing on the recovery plan: pointer events cover mouse, touch and pen alike. The drawing is
// saved as a PNG through the same form the server checks and re-encodes (media.routes.ts).
// Without JavaScript, or without a canvas, the drawing form stays hidden and the photo form and
// the section's writing are the way to add something.
const panel = document.querySelector('[data-plan-draw]');
const canvas = panel && panel.querySelector('[data-plan-draw-canvas]');
if (panel && canvas && canvas.getContext && window.PointerEvent && canvas.toBlob) {
  const form = panel.querySelector('[data-plan-draw-form]');
  const status = panel.querySelector('[data-plan-draw-status]');
  const colour = panel.querySelector('[data-plan-draw-colour]');
  const width = panel.querySelector('[data-plan-draw-width]');
  const context = canvas.getContext('2d');
  let hasInk = false;
  let drawing = false;
  let saving = false;
  let last = null;

  const say = (text) => {
    status.textContent = text;
  };

  const blank = () => {
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    hasInk = false;
  };
  // The canvas keeps its own 800 × 600 pixels however wide it is shown.
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / box.width,
      y: ((event.clientY - box.top) * canvas.height) / box.height,
    };
  };
  const line = (from, to) => {
    context.strokeStyle = colour.value;
    context.lineWidth = Number(width.value) || 4;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    hasInk = true;
  };

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    // A changed drawing is a new save.
    delete form.dataset.pending;
    last = point(event);
    // A tap leaves a dot.
    line(last, { x: last.x + 0.1, y: last.y + 0.1 });
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const each of events.length ? events : [event]) {
      const next = point(each);
      line(last, next);
      last = next;
    }
  });
  const stop = () => {
    drawing = false;
    last = null;
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  panel.querySelector('[data-plan-draw-clear]').addEventListener('click', () => {
    blank();
    delete form.dataset.pending;
    say('Drawing cleared');
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (saving) return;
    if (!hasInk) {
      say('Draw something first, or add a photo or write instead.');
      return;
    }
    saving = true;
    say('Saving your drawing…');
    canvas.toBlob((blob) => {
      if (!blob) {
        saving = false;
        say('Your drawing could not be saved. Try again.');
        return;
      }
      window.greenleafPlan.sendMedia(
        form,
        blob,
        'drawing.png',
        {
          saved: 'Drawing saved.',
          signedOut:
            'You have been signed out, so your drawing is not saved yet. Sign in again in a new tab, then press Save drawing again.',
          expired:
            'This page has expired, so your drawing is not saved. Reload the page and draw it again, or add a photo.',
          failed: 'Your drawing could not be saved. Try again.',
          offline: 'Your drawing could not be saved. Check your connection, then press Save drawing again.',
        },
        say,
        () => {
          saving = false;
        },
      );
    }, 'image/png');
  });

  blank();
  panel.hidden = false;
}
