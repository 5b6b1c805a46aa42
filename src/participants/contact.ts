/** UK mobile numbers in one stored form (+447…), so a number typed any way finds its person. */
export function normaliseUkMobile(input: string): string | undefined {
  const cleaned = input.replace(/[\s()-]/g, '');
  const match = /^(?:\+44|0044|0)(7\d{9})$/.exec(cleaned);
  return match ? `+44${match[1]}` : undefined;
}

/** UK landline or mobile, kept as digits with a leading 0 or +44. */
export function normaliseUkPhone(input: string): string | undefined {
  const cleaned = input.replace(/[\s()-]/g, '');
  const match = /^(?:\+44|0044|0)([1-9]\d{8,9})$/.exec(cleaned);
  return match ? `0${match[1]}` : undefined;
}

/** Landlines as people read them: 0113 496 0000, 020 7946 0000, 01632 960001. */
export function formatUkPhone(stored: string): string {
  if (stored.startsWith('+44') || stored.startsWith('07')) return formatUkMobile(stored);
  if (/^0(1\d1|11\d)/.test(stored)) return `${stored.slice(0, 4)} ${stored.slice(4, 7)} ${stored.slice(7)}`;
  if (stored.startsWith('02')) return `${stored.slice(0, 3)} ${stored.slice(3, 7)} ${stored.slice(7)}`;
  return `${stored.slice(0, 5)} ${stored.slice(5)}`;
}

export function formatUkMobile(stored: string): string {
  const national = stored.startsWith('+44') ? `0${stored.slice(3)}` : stored;
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function normaliseEmail(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase();
  return trimmed.length <= 254 && EMAIL.test(trimmed) ? trimmed : undefined;
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

export function normalisePostcode(input: string): string | undefined {
  const match = POSTCODE.exec(input.trim().toUpperCase().replace(/\s+/g, ' '));
  return match ? `${match[1]} ${match[2]}` : undefined;
}
