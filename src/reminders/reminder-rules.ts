/**
 * What planning, sending and calendar files agree on: the settings, the reasons a message is not
 * sent, who a channel reaches, the participant's safe hours, and how a calendar link's token is
 * kept (only its hash is stored).
 */
import { createHash } from 'node:crypto';
import type { SafeWindow } from './reminder-schedule.ts';
import type { ReminderPreferences } from './reminder.repository.ts';

export interface ReminderSettings {
  hoursBefore: number;
  maxAttempts: number;
  /** The service's public address, for links in messages; without it, links are left out. */
  publicUrl: string | undefined;
}

export const REASON_CANCELLED = 'session cancelled';
export const REASON_MOVED = 'session moved';
export const REASON_SETTINGS_CHANGED = 'reminder settings changed';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function firstName(fullName: string): string {
  return fullName.split(' ')[0] ?? fullName;
}

export function recipientFor(
  participant: { mobile: string | null; email: string | null },
  channel: 'sms' | 'email' | 'none',
): string | null {
  if (channel === 'sms') return participant.mobile;
  if (channel === 'email') return participant.email;
  return null;
}

export function windowOf(preferences: ReminderPreferences): SafeWindow {
  return { earliestHour: preferences.reminderEarliestHour, latestHour: preferences.reminderLatestHour };
}
