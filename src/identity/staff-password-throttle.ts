import type { ThrottleRule } from './throttle.ts';

/**
 * Staff password throttling by who could have made the attempts (throttle.ts). The account
 * from one address, and one address across accounts (generous: a trust's staff may share one
 * outgoing address), block with a wait. The account from every address only slows answers, by
 * up to 8 seconds: a block there would let anyone lock a worker out by guessing wrong from a
 * few addresses. A password is also only the first factor; the security code has its own limit.
 * We chose this over OWASP's device cookies (a browser that signed in before skips the
 * account-wide limit): since that limit never refuses, the real person gets in without one, and
 * on the shared ward computers staff use, a device cookie vouches for a machine, not a person.
 */
export const passwordRules = (email: string, ip: string | null): ThrottleRule[] => [
  { key: `staff-password:${email}:${ip ?? '-'}`, allowance: 5, windowMinutes: 15 },
  { key: `ip:${ip ?? '-'}`, allowance: 200, windowMinutes: 60 },
  { key: `staff-password:${email}`, allowance: 10, windowMinutes: 60, effect: 'delay' },
];
