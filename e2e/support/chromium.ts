/** Debian's headless Chromium (package chromium-headless-shell): the browser every journey runs in. */
export const HEADLESS_CHROMIUM = '/usr/lib/chromium/chromium-headless-shell';
