/**
 * What participant sign-in codes are bound to and limited by, shared by the request (the page),
 * the job that sends the code, and the check. A code belongs to the mobile number or email it
 * was sent to; who it signs in is decided only when it is used.
 */
import { createHash } from 'node:crypto';
import { MINUTE } from '../platform/clock.ts';
import { normaliseEmail, normaliseUkMobile } from '../participants/contact.ts';
import type { ThrottleRule } from './throttle.ts';

export type Contact = { mobile: string } | { email: string };

export const CODE_LIFETIME = 10 * MINUTE;
/** Wrong tries a code survives; each wrong try counts against every live code of the contact. */
export const MAX_ATTEMPTS_PER_CODE = 5;

export function parseContact(input: string): Contact | undefined {
  if (input.includes('@')) {
    const email = normaliseEmail(input);
    return email ? { email } : undefined;
  }
  const mobile = normaliseUkMobile(input);
  return mobile ? { mobile } : undefined;
}

/** The contact as stored on participants: +447… or a lower-case email address. */
export const contactText = (contact: Contact): string =>
  'mobile' in contact ? contact.mobile : contact.email;

export const channelFor = (contact: Contact): 'sms' | 'email' => ('mobile' in contact ? 'sms' : 'email');

/**
 * What codes and counters are filed under: a digest of the contact, so the sign-in tables do not
 * show a participant's number or email to whoever reads them (a phone number's digest can be
 * reversed by trying every number, so this tidies rather than protects).
 */
export const contactHash = (contact: Contact): string =>
  createHash('sha256')
    .update(`contact:${contactText(contact)}`)
    .digest('hex');

export const codeHash = (codeId: string, code: string): string =>
  createHash('sha256').update(`${codeId}:${code}`).digest('hex');

/**
 * Asking for a code. Both rules include the caller's address, so only the caller's own
 * requests make them wait: strangers asking for a participant's number never block the
 * participant's request (they are limited by the silent daily cap below instead).
 */
export const requestRules = (contact: Contact, ip: string | null): ThrottleRule[] => [
  { key: `code-request:${contactHash(contact)}:${ip ?? '-'}`, allowance: 3, windowMinutes: 15 },
  { key: `code-request-ip:${ip ?? '-'}`, allowance: 30, windowMinutes: 60 },
];

/**
 * Codes sent to one number or address in 24 hours. Past it, requests are answered exactly the
 * same and nothing is sent, so nobody can send a participant a stream of texts; their own
 * successful sign-in empties it, so their use never counts against them.
 */
export const sentCap = (contact: Contact, codesPerDay: number): ThrottleRule => ({
  key: `code-sent:${contactHash(contact)}`,
  allowance: codesPerDay,
  windowMinutes: 24 * 60,
  effect: 'cap',
});

/** Entering codes: by contact from one address, and by address. Each code also dies after 5 wrong tries. */
export const checkRules = (contact: Contact, ip: string | null): ThrottleRule[] => [
  { key: `code-check:${contactHash(contact)}:${ip ?? '-'}`, allowance: 5, windowMinutes: 15 },
  { key: `code-check-ip:${ip ?? '-'}`, allowance: 30, windowMinutes: 60 },
];
