// The recovery plan's scripts share nothing but the page: each file below is one enhancement,
// found by its data- attributes, and the plan works as ordinary forms without any of them.
document.documentElement.classList.add('app-plan-js');

// Shared by the drawing and voice note scripts: sends the file with its form's fields and says
// what happened in the person's words (`words`: saved, signedOut, expired, failed, offline).
window.greenleafPlan = {
  sendMedia(form, file, filename, words, say, settled) {
    const body = new FormData(form);
    // A new save each time it is pressed after a change; the server saves a repeated one once.
    if (window.crypto && crypto.randomUUID && !form.dataset.pending) {
      form.elements.entryId.value = crypto.randomUUID();
      form.elements.saveId.value = crypto.randomUUID();
      body.set('entryId', form.elements.entryId.value);
      body.set('saveId', form.elements.saveId.value);
    }
    form.dataset.pending = 'yes';
    body.set('file', file, filename);
    fetch(form.action, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': form.elements._csrf.value },
    })
      .then((response) => response.json().then((answer) => ({ response, answer })))
      .then(({ response, answer }) => {
        if (response.ok && answer.status === 'saved') {
          say(words.saved);
          window.location.assign(
            `${window.location.pathname}?saved=${answer.entryId}#entry-${answer.entryId}`,
          );
          return;
        }
        settled();
        delete form.dataset.pending;
        if (answer.status === 'signed_out') {
          say(words.signedOut);
          document.dispatchEvent(new CustomEvent('greenleaf:signed-out'));
        } else if (answer.status === 'expired_form') say(words.expired);
        else {
          const errors = answer.errors || {};
          say(errors.file || errors.description || words.failed);
        }
      })
      .catch(() => {
        // Same ids next time: it may have been saved, and a repeated save is saved once.
        settled();
        say(words.offline);
      });
  },
};
