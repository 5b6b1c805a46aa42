// Read aloud: every prompt and the person's own words, through the browser's own speech
// synthesis. The buttons stay hidden where there is none. One thing is read at a time; the
// button's words say what pressing it will do ("Read aloud" or "Stop reading").
if ('speechSynthesis' in window && 'SpeechSynthesisUtterance' in window) {
  const synth = window.speechSynthesis;
  const buttons = [...document.querySelectorAll('button.app-read-aloud[data-read-aloud-for]')];
  const labels = new Map(buttons.map((button) => [button, button.innerHTML]));
  let reading = null;

  const reset = (button) => {
    button.innerHTML = labels.get(button);
    if (reading === button) reading = null;
  };

  const textOf = (target) => {
    if (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT') {
      return target.value.trim() || 'Nothing written yet.';
    }
    const fields = [...target.querySelectorAll('textarea, input')].filter(
      (field) => !['hidden', 'submit', 'button', 'checkbox', 'radio', 'file'].includes(field.type),
    );
    if (target.tagName === 'FORM' || fields.length) {
      const words = fields.map((field) => field.value.trim()).filter(Boolean);
      return words.length ? words.join('. ') : 'Nothing written yet.';
    }
    return target.textContent.replace(/\s+/g, ' ').trim();
  };

  const britishVoice = () => {
    const voices = synth.getVoices();
    return voices.find((voice) => voice.lang === 'en-GB' || voice.lang === 'en_GB') || null;
  };

  // "Listen" only where there is something to hear: it appears as words are written.
  const nothing = 'Nothing written yet.';
  for (const button of buttons) {
    const target = document.getElementById(button.getAttribute('data-read-aloud-for'));
    if (!target) continue;
    const show = () => {
      button.hidden = textOf(target) === nothing || textOf(target) === '';
    };
    show();
    target.addEventListener('input', show);
    button.addEventListener('click', () => {
      const wasReading = reading === button;
      if (reading) reset(reading);
      synth.cancel();
      if (wasReading) return;
      const utterance = new SpeechSynthesisUtterance(textOf(target));
      utterance.lang = 'en-GB';
      const voice = britishVoice();
      if (voice) utterance.voice = voice;
      utterance.addEventListener('end', () => reset(button));
      utterance.addEventListener('error', () => reset(button));
      reading = button;
      const hidden = button.querySelector('.nhsuk-u-visually-hidden');
      button.textContent = 'Stop reading';
      if (hidden) button.append(hidden);
      synth.speak(utterance);
    });
  }
  window.addEventListener('pagehide', () => synth.cancel());
}
