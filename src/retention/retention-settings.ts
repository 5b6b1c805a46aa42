/**
 * How long working data is kept before it is deleted. The NHS Records Management Code of
 * Practice 2021 (NHS England) sets retention by what a record documents, not by its format,
 * and its retention schedule has no entry for any of these: they are working copies and
 * security data, not the record. What a participant was told that matters (a booked session,
 * an ending, a safety concern) is in their record, and every sign-in, failed sign-in and
 * message sent is in the audit log, which is kept whole. So the defaults follow the Code's
 * general rule (keep information no longer than it is needed for its purpose, and say why):
 *
 * - notifications: the copy of each SMS or email handed to GOV.UK Notify (contact, template,
 *   personalisation). 90 days answers "was I sent a reminder?" and a complaint about a missed
 *   one, within a quarter, after which the audit event alone shows it was sent.
 * - sign-in records: ended or expired sessions (with the address they came from), used or
 *   expired sign-in codes (hashed), and counters of failed attempts whose window has passed.
 *   30 days covers an account take-over noticed within a month, traced to its sessions.
 * - finished jobs: pg-boss's own default of 7 days, long enough to look into a failed job.
 *   Jobs whose data names a contact set a shorter time themselves (sign-in codes: a minute).
 *
 * A trust with its own records policy sets these in its configuration.
 */
export interface RetentionSettings {
  notificationDays: number;
  signInRecordDays: number;
  finishedJobDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  notificationDays: 90,
  signInRecordDays: 30,
  finishedJobDays: 7,
};
