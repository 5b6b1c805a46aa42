// Autosave, offline drafts and edit conflicts for the plan's entry forms (QUALITY.md "Autosave":
// losing the signal, closing the tab or a session ending loses nothing; WCAG 2.2.5).
//
// What a person types is kept in localStorage, one key per entry, from the first keystroke until
// the server confirms the exact save that carried it. Each distinct content gets its own saveId
// and the server saves a saveId once, so a save whose answer was lost is simply sent again. A
// saveId is only ever sent with the content it was made for: when the words change after a send
// whose outcome is unknown, that earlier save is kept ("previous") and settled first.
// Drafts carry the signed-in person's id (data-draft-owner): on a shared phone one person's
// words are never shown to, or sent as, someone else.
const PREFIX = 'greenleaf-draft:';
const QUIET_MS = 1500;
const RETRY_MS = 15000;
const NOT_CONTENT = new Set(['_csrf', 'saveId', 'baseRevision', 'entryId']);
const OFFLINE = 'Offline, will save when connected';

const ownerElement = document.querySelector('[data-draft-owner]');
const owner = ownerElement ? ownerElement.getAttribute('data-draft-owner') || '' : '';
const memory = new Map();
const states = new Map();
let blocked = null;

const newId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
        (Number(c) ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (Number(c) / 4)))).toString(16),
      );

// This page's drafts live in `memory`; localStorage holds a copy that outlives the page. Another
// tab's drafts are only picked up when a page loads, so two open tabs never send each other's.
// localStorage can be missing or full (private browsing): then drafts live as long as the page.
const readDraft = (entryId) => memory.get(entryId) || null;
function writeDraft(draft) {
  memory.set(draft.entryId, draft);
  try {
    localStorage.setItem(PREFIX + draft.entryId, JSON.stringify(draft));
  } catch {
    // kept in memory
  }
}
function removeDraft(draft) {
  memory.delete(draft.entryId);
  try {
    const stored = JSON.parse(localStorage.getItem(PREFIX + draft.entryId) || 'null');
    // Another tab may have stored newer words for the same entry since.
    if (stored && stored.saveId === draft.saveId) localStorage.removeItem(PREFIX + draft.entryId);
  } catch {
    // nothing stored
  }
}
function storedDrafts() {
  const found = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(PREFIX)) found.push(JSON.parse(localStorage.getItem(key) || 'null'));
    }
  } catch {
    // none readable
  }
  return found.filter((draft) => draft && draft.owner === owner);
}

const input = (form, name) => form.querySelector(`input[name="${name}"]`);
const entryIdOf = (form) => (input(form, 'entryId') || { value: '' }).value;
const baseOf = (form) => Number((input(form, 'baseRevision') || { value: '0' }).value) || 0;
const pathOf = (form) => new URL(form.action, location.href).pathname;
const autosaves = (form) => form.hasAttribute('data-autosave');
const valueOf = (fields, name) => (fields.find(([key]) => key === name) || [])[1];
const setInput = (form, name, value) => {
  const field = form && input(form, name);
  if (field) field.value = String(value);
};

function contentOf(form) {
  const fields = [];
  for (const [name, value] of new FormData(form)) {
    if (!NOT_CONTENT.has(name) && typeof value === 'string') fields.push([name, value]);
  }
  return fields;
}

function fill(form, fields) {
  const seen = new Map();
  for (const element of form.elements) {
    const name = element.name;
    if (!name || NOT_CONTENT.has(name) || ['hidden', 'submit', 'button', 'file'].includes(element.type))
      continue;
    const values = fields.filter(([key]) => key === name).map(([, value]) => value);
    if (element.type === 'checkbox' || element.type === 'radio') {
      element.checked = values.includes(element.value);
    } else {
      const index = seen.get(name) || 0;
      seen.set(name, index + 1);
      element.value = values[index] ?? '';
    }
  }
}

function stateOf(entryId) {
  let state = states.get(entryId);
  if (!state) {
    state = { form: null, timer: 0, inFlight: null, again: false, original: null, renderedBase: 0 };
    states.set(entryId, state);
  }
  return state;
}

function say(form, text, link) {
  const status = form && form.querySelector('[data-save-status]');
  if (!status) return;
  if (text !== 'Saved') revealSave(form);
  status.textContent = text;
  if (link) {
    const anchor = document.createElement('a');
    anchor.href = link.href;
    anchor.textContent = link.text;
    status.append(' ', anchor, '.');
  }
}

function sayBlocked(form) {
  const back = encodeURIComponent(location.pathname + location.search);
  if (blocked === 'signed_out') {
    const signIn = location.pathname.startsWith('/me') ? '/participant/sign-in' : '/sign-in';
    say(form, 'You have been signed out. What you wrote is kept on this device.', {
      href: `${signIn}?returnTo=${back}`,
      text: 'Sign in again to save it',
    });
  } else {
    say(form, 'This page has expired. What you wrote is kept on this device.', {
      href: location.pathname + location.search,
      text: 'Reload the page to save it',
    });
  }
}

function csrfToken(form) {
  const field = (form && input(form, '_csrf')) || document.querySelector('input[name="_csrf"]');
  return field ? field.value : '';
}

/** Records the form's words as the entry's draft; a change of words means a new saveId. */
function noteChange(form, force) {
  const entryId = entryIdOf(form);
  const fields = contentOf(form);
  let draft = readDraft(entryId);
  if (draft && JSON.stringify(draft.fields) === JSON.stringify(fields)) return draft;
  const original = stateOf(entryId).original;
  if (!force && original && JSON.stringify(original) === JSON.stringify(fields)) {
    // Back to the saved words before anything was sent: nothing to save.
    if (!draft) return null;
    if (!draft.sent && !draft.previous && !draft.conflict) {
      removeDraft(draft);
      return null;
    }
  }
  if (!draft) {
    draft = {
      owner,
      entryId,
      action: pathOf(form),
      fields,
      saveId: newId(),
      baseRevision: baseOf(form),
      sent: false,
      submitted: false,
      add: !autosaves(form),
      previous: null,
      conflict: null,
    };
  } else {
    const flying = stateOf(entryId).inFlight;
    const unsettled = draft.sent && !(flying && flying.saveId === draft.saveId);
    if (unsettled && !draft.previous) {
      draft.previous = { saveId: draft.saveId, fields: draft.fields, baseRevision: draft.baseRevision };
    }
    draft.fields = fields;
    draft.saveId = newId();
    draft.sent = false;
  }
  writeDraft(draft);
  return draft;
}

function schedule(entryId, delay) {
  const state = stateOf(entryId);
  clearTimeout(state.timer);
  state.timer = setTimeout(() => void send(entryId, false), delay);
}

/** Sends the entry's oldest unsettled save; one request per entry at a time. */
async function send(entryId, keepalive) {
  const state = stateOf(entryId);
  clearTimeout(state.timer);
  if (state.inFlight) {
    state.again = true;
    return;
  }
  const draft = readDraft(entryId);
  if (!draft || draft.conflict || draft.owner !== owner) return;
  if (draft.add && !draft.submitted) return;
  const form = state.form;
  if (blocked) return sayBlocked(form);
  if (!navigator.onLine) return say(form, OFFLINE);
  const item = draft.previous || draft;
  const body = new URLSearchParams(item.fields);
  const token = csrfToken(form);
  body.set('_csrf', token);
  body.set('entryId', draft.entryId);
  body.set('saveId', item.saveId);
  body.set('baseRevision', String(item.baseRevision));
  // Marked as sent before it goes: from now on only the server knows whether it was saved.
  if (item === draft) {
    draft.sent = true;
    writeDraft(draft);
  }
  state.inFlight = { ...item, isPrevious: item !== draft };
  say(form, 'Saving…');
  let response = null;
  let answer = {};
  try {
    const text = body.toString();
    response = await fetch(draft.action, {
      method: 'POST',
      body,
      headers: { accept: 'application/json', 'x-csrf-token': token },
      credentials: 'same-origin',
      // A page being closed may still send (the browser allows 64 KB of these in flight).
      keepalive: keepalive && text.length < 60000,
    });
    answer = await response.json().catch(() => ({}));
  } catch {
    response = null;
  }
  const flight = state.inFlight;
  state.inFlight = null;
  settle(entryId, flight, response, answer);
  if (state.again) {
    state.again = false;
    schedule(entryId, 0);
  }
}

function settle(entryId, flight, response, answer) {
  const state = stateOf(entryId);
  const form = state.form;
  const draft = readDraft(entryId);
  if (!draft) return;
  const status = response ? response.status : 0;
  if (status === 200 && answer.status === 'saved') {
    document.dispatchEvent(new CustomEvent('greenleaf:active'));
    blocked = null;
    if (flight.isPrevious) {
      draft.previous = null;
      draft.baseRevision = answer.revision;
      writeDraft(draft);
      return schedule(entryId, 0);
    }
    if (draft.saveId !== flight.saveId) {
      // Typed on while it was saving: the newer words go next, on top of this revision.
      draft.baseRevision = answer.revision;
      writeDraft(draft);
      setInput(form, 'baseRevision', answer.revision);
      return schedule(entryId, autosaves(form || document.body) ? QUIET_MS : 0);
    }
    removeDraft(draft);
    if (answer.duplicate && state.original && answer.revision < state.renderedBase) {
      // Restored an old draft that had in fact been saved before a newer version: show the newer.
      fill(form, state.original);
      setInput(form, 'baseRevision', state.renderedBase);
    } else {
      setInput(form, 'baseRevision', answer.revision);
    }
    if (form) state.original = contentOf(form);
    setInput(form, 'entryId', answer.entryId);
    say(form, 'Saved');
    const onThisSection = draft.action === `${location.pathname.replace(/\/$/, '')}/entries`;
    // A new item, or one saved from an earlier visit, appears in its place when the page reloads.
    if ((draft.add && form) || (!form && onThisSection)) location.reload();
    return;
  }
  if (status === 409 && answer.status === 'conflict') {
    draft.previous = null;
    draft.conflict = { ...answer.current, entryId: answer.entryId };
    writeDraft(draft);
    return showConflict(entryId);
  }
  if (status === 401 || (status === 403 && answer.status === 'expired_form')) {
    blocked = status === 401 ? 'signed_out' : 'expired_form';
    // Signed out on the server: the offline copy of "When I'm struggling" goes (sw-register.js).
    if (status === 401) document.dispatchEvent(new CustomEvent('greenleaf:signed-out'));
    for (const other of states.values())
      if (other.form && readDraft(entryIdOf(other.form))) sayBlocked(other.form);
    return sayBlocked(form);
  }
  if (status === 400) {
    const messages = Object.values(answer.errors || {}).join('. ');
    draft.submitted = false;
    writeDraft(draft);
    return say(
      form,
      `Not saved: ${messages || 'check what you wrote'}. What you wrote is kept on this device.`,
    );
  }
  if (!response && !flight.isPrevious && draft.saveId !== flight.saveId && !draft.previous) {
    draft.previous = { saveId: flight.saveId, fields: flight.fields, baseRevision: flight.baseRevision };
    writeDraft(draft);
  }
  if (!response || !navigator.onLine) say(form, OFFLINE);
  else say(form, 'Not saved yet. We will try again in a moment. What you wrote is kept on this device.');
  // A network that fails while the browser thinks it is online sends no "online" event.
  schedule(entryId, RETRY_MS);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function words(text, into) {
  const lines = String(text || '')
    .split('\n')
    .filter((line) => line.trim());
  if (!lines.length) lines.push('(nothing written)');
  for (const line of lines) into.append(element('p', '', line));
}

const draftWords = (fields) =>
  fields
    .filter(([name]) => !['fieldKey', 'kind', 'progress', 'stepDone'].includes(name))
    .map(([, value]) => value.trim())
    .filter(Boolean)
    .join('\n');

function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const time = date.toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit' });
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long' });
  return ` at ${time} on ${day}`;
}

/** The choice, in the form itself: their words and mine side by side, nothing overwritten. */
function showConflict(entryId) {
  const state = stateOf(entryId);
  const form = state.form;
  const draft = readDraft(entryId);
  if (!form || !draft || !draft.conflict) return;
  const current = draft.conflict;
  const old = form.querySelector('[data-conflict]');
  if (old) old.remove();
  // The server names the writer "You" when it was this same person, in another tab or device.
  const self = current.writtenByName === 'You';
  const who = self ? 'you, in another tab or on another device,' : current.writtenByName || 'someone else';
  const card = element('div', 'nhsuk-card nhsuk-card--warning');
  card.setAttribute('data-conflict', '');
  const content = element('div', 'nhsuk-card__content');
  const heading = element('h3', 'nhsuk-card__heading');
  heading.tabIndex = -1;
  const label = element('span');
  label.setAttribute('role', 'text');
  label.append(
    element('span', 'nhsuk-u-visually-hidden', 'Important: '),
    self
      ? 'This was changed somewhere else while you were writing'
      : current.removed
        ? 'Someone removed this while you were writing'
        : 'Someone else changed this while you were writing',
  );
  heading.append(label);
  content.append(heading);
  content.append(
    element(
      'p',
      '',
      `${current.removed ? 'Removed' : 'Saved'} by ${who}${when(current.updatedAt)}. Nothing has been lost. Choose which version to keep.`,
    ),
  );
  content.append(element('h4', '', 'The saved version'));
  const theirs = element('div', 'nhsuk-inset-text');
  words(current.removed ? '' : current.words, theirs);
  content.append(theirs);
  content.append(element('h4', '', 'Your version'));
  const mine = element('div', 'nhsuk-inset-text');
  words(draftWords(draft.fields), mine);
  content.append(mine);
  const keep = element('button', 'nhsuk-button', 'Keep my version');
  keep.type = 'button';
  const useTheirs = element(
    'button',
    'nhsuk-button nhsuk-button--secondary',
    current.removed ? 'Leave it removed' : 'Use the saved version',
  );
  useTheirs.type = 'button';
  keep.addEventListener('click', () => keepMine(entryId));
  useTheirs.addEventListener('click', () => {
    removeDraft(readDraft(entryId) || { entryId });
    location.reload();
  });
  const buttons = element('div', 'nhsuk-button-group');
  buttons.append(keep, useTheirs);
  content.append(buttons);
  card.append(content);
  const status = form.querySelector('[data-save-status]');
  form.insertBefore(card, status || null);
  say(form, 'Not saved yet: this was changed somewhere else. Choose which version to keep.');
  heading.focus();
}

function keepMine(entryId) {
  const state = stateOf(entryId);
  const draft = readDraft(entryId);
  if (!draft || !draft.conflict) return;
  const current = draft.conflict;
  removeDraft(draft);
  draft.entryId = current.entryId;
  draft.baseRevision = current.revision;
  draft.saveId = newId();
  draft.sent = false;
  draft.submitted = true;
  draft.conflict = null;
  draft.previous = null;
  writeDraft(draft);
  const form = state.form;
  if (form) {
    const panel = form.querySelector('[data-conflict]');
    if (panel) panel.remove();
    setInput(form, 'entryId', current.entryId);
    setInput(form, 'baseRevision', current.revision);
    states.delete(entryId);
    const moved = stateOf(current.entryId);
    moved.form = form;
    moved.original = state.original;
  }
  void send(current.entryId, false);
}

// A field's own Save (or Add) button shows once there is something to save there: autosave
// saves the rest, and a page of empty fields is not a page of buttons.
const saveButtonOf = (form) => form.querySelector('.app-plan-actions button[type="submit"]');
function revealSave(form) {
  const button = form && saveButtonOf(form);
  if (button) button.hidden = false;
}

/**
 * The words the server sent, whatever has been typed since: a reset copy of the form. On a slow
 * phone someone can start typing before this script runs, and what they typed is a change to
 * save, not the saved words.
 */
function renderedContentOf(form) {
  const copy = form.cloneNode(true);
  copy.reset();
  return contentOf(copy);
}

function watch(form) {
  const state = stateOf(entryIdOf(form));
  state.form = form;
  state.original = renderedContentOf(form);
  state.renderedBase = baseOf(form);
  const typedEarly = JSON.stringify(contentOf(form)) !== JSON.stringify(state.original);
  const button = saveButtonOf(form);
  if (button && !typedEarly && !form.querySelector('.nhsuk-form-group--error')) button.hidden = true;
  const changed = () => {
    revealSave(form);
    const draft = noteChange(form, false);
    if (draft && !draft.conflict && autosaves(form)) schedule(draft.entryId, QUIET_MS);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('focusout', (event) => {
    if (!autosaves(form) || form.contains(event.relatedTarget)) return;
    const draft = readDraft(entryIdOf(form));
    if (draft && !draft.sent && !draft.conflict) void send(draft.entryId, false);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const draft = noteChange(form, !autosaves(form));
    if (!draft) return say(form, 'Saved');
    if (draft.conflict) return showConflict(draft.entryId);
    draft.submitted = true;
    writeDraft(draft);
    void send(draft.entryId, false);
  });
  if (typedEarly) changed();
}

/** A draft whose entry id is not on the page may still belong to a form here. */
function formFor(draft) {
  const direct = [...document.querySelectorAll('form[data-plan-entry]')].find(
    (form) => entryIdOf(form) === draft.entryId,
  );
  if (direct) return direct;
  const fieldKey = valueOf(draft.fields, 'fieldKey');
  const kind = valueOf(draft.fields, 'kind');
  return [...document.querySelectorAll('form[data-plan-entry]')].find((form) => {
    if (pathOf(form) !== draft.action || valueOf(contentOf(form), 'fieldKey') !== fieldKey) return false;
    // A free-text field has one answer, whichever id it was started under; an empty "add" form
    // can take back words that were never added.
    if (kind === 'text') return true;
    return (
      !autosaves(form) &&
      baseOf(form) === 0 &&
      !readDraft(entryIdOf(form)) &&
      !states.get(entryIdOf(form))?.claimed
    );
  });
}

const forms = [...document.querySelectorAll('form[data-plan-entry]')].filter(
  (form) => form.enctype !== 'multipart/form-data',
);
for (const form of forms) watch(form);

for (const draft of storedDrafts()) {
  memory.set(draft.entryId, draft);
  const form = formFor(draft);
  if (form) {
    const previous = stateOf(entryIdOf(form));
    if (entryIdOf(form) !== draft.entryId) {
      states.delete(entryIdOf(form));
      setInput(form, 'entryId', draft.entryId);
      setInput(form, 'baseRevision', draft.baseRevision);
    }
    const state = stateOf(draft.entryId);
    state.form = form;
    state.claimed = true;
    state.original = previous.original;
    state.renderedBase = previous.renderedBase;
    fill(form, draft.fields);
    if (draft.conflict) showConflict(draft.entryId);
    else if (draft.add && !draft.submitted)
      say(form, 'You started writing this earlier. It has not been added yet.');
    else void send(draft.entryId, false);
  } else if (!draft.add || draft.submitted) {
    void send(draft.entryId, false);
  }
}

const sendAll = (keepalive) => {
  for (const draft of [...memory.values()]) void send(draft.entryId, keepalive);
};
window.addEventListener('online', () => sendAll(false));
window.addEventListener('offline', () => {
  for (const draft of memory.values()) say(stateOf(draft.entryId).form, OFFLINE);
});
// Leaving or hiding the page: send what has not gone yet while the page can still send.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') sendAll(true);
});
window.addEventListener('pagehide', () => sendAll(true));
