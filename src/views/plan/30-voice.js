// Voice notes on the recovery plan: recorded in the browser (MediaRecorder), listened to, then
// saved through the same form the server checks (media.routes.ts). Hidden without JavaScript or
// where the browser cannot record; the photo form and the section's writing are always there.
const panel = document.querySelector('[data-plan-voice]');
const canRecord =
  window.MediaRecorder && navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function';
if (panel && canRecord) {
  const MAX_SECONDS = 180;
  const form = panel.querySelector('[data-plan-voice-form]');
  const status = panel.querySelector('[data-plan-voice-status]');
  const start = panel.querySelector('[data-plan-voice-start]');
  const stop = panel.querySelector('[data-plan-voice-stop]');
  const review = panel.querySelector('[data-plan-voice-review]');
  const audio = panel.querySelector('[data-plan-voice-audio]');
  let recorder = null;
  let recording = null;
  let startedAt = 0;
  let limit = null;
  let saving = false;

  const say = (text) => {
    status.textContent = text;
  };
  const minutes = (seconds) => {
    const whole = Math.round(seconds);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
  };
  // Opus in WebM where the browser has it (Chrome, Edge, Firefox); Safari records MP4.
  const type = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'].find(
    (candidate) => MediaRecorder.isTypeSupported(candidate),
  );
  const extension = (mime) => (mime.includes('mp4') ? 'm4a' : mime.includes('ogg') ? 'ogg' : 'webm');

  const forget = () => {
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.removeAttribute('src');
    recording = null;
    delete form.dataset.pending;
    review.hidden = true;
  };

  start.addEventListener('click', () => {
    forget();
    say('Asking to use your microphone…');
    navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then((stream) => {
        const chunks = [];
        recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
        recorder.addEventListener('dataavailable', (event) => {
          if (event.data.size > 0) chunks.push(event.data);
        });
        recorder.addEventListener('stop', () => {
          clearTimeout(limit);
          stream.getTracks().forEach((track) => track.stop());
          const seconds = (Date.now() - startedAt) / 1000;
          recording = new Blob(chunks, { type: recorder.mimeType || type || 'audio/webm' });
          audio.src = URL.createObjectURL(recording);
          review.hidden = false;
          start.disabled = false;
          stop.disabled = true;
          start.textContent = 'Start recording';
          if (seconds >= MAX_SECONDS - 1) {
            say(
              `Stopped at ${minutes(MAX_SECONDS)}, the longest a voice note can be. Listen to it, then save it or record again.`,
            );
          } else {
            say(`Recorded ${minutes(seconds)}. Listen to it, then save it or record again.`);
          }
        });
        recorder.start();
        startedAt = Date.now();
        limit = setTimeout(() => recorder.state === 'recording' && recorder.stop(), MAX_SECONDS * 1000);
        start.disabled = true;
        stop.disabled = false;
        stop.focus();
        say('Recording. Press Stop when you have finished (up to 3 minutes).');
      })
      .catch(() => {
        say(
          'Your microphone could not be used. Check that this site may use it, or add a photo or write instead.',
        );
      });
  });

  stop.addEventListener('click', () => {
    if (recorder && recorder.state === 'recording') recorder.stop();
  });

  panel.querySelector('[data-plan-voice-discard]').addEventListener('click', () => {
    forget();
    say('Recording removed. Press Start recording to record again.');
    start.focus();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (saving) return;
    if (!recording) {
      say('Record something first, or add a photo or write instead.');
      return;
    }
    saving = true;
    say('Saving your voice note…');
    window.greenleafPlan.sendMedia(
      form,
      recording,
      `voice.${extension(recording.type)}`,
      {
        saved: 'Voice note saved.',
        signedOut:
          'You have been signed out, so your voice note is not saved yet. Sign in again in a new tab, then press Save voice note again.',
        expired:
          'This page has expired, so your voice note is not saved. Reload the page and record it again.',
        failed: 'Your voice note could not be saved. Try again.',
        offline:
          'Your voice note could not be saved. Check your connection, then press Save voice note again.',
      },
      say,
      () => {
        saving = false;
      },
    );
  });

  panel.hidden = false;
}
