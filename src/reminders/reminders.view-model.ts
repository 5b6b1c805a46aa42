/** What the reminder pages show: words for channels, hours and each message's status. */
import { formatUkMobile } from '../participants/contact.ts';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import type { ReminderPreferences, ReminderRow } from './reminder.repository.ts';
import { hourLabel, HOURS } from './reminders.form.ts';
import type { FormValues } from '../platform/http/form-page.ts';

/** The preferences page's data, as ReminderPreferencesService reads it. */
export interface PreferencesPage {
  participantId: string;
  name: string;
  /** The formatted mobile and email, when recorded: each channel is offered only if it can reach them. */
  mobile: string | null;
  email: string | null;
  preferences: ReminderPreferences;
}

/** The summary page's reminder panel, before it is put into words. */
export interface ReminderPanel {
  participantId: string;
  preferences: ReminderPreferences;
  mobile: string | null;
  email: string | null;
  canManage: boolean;
  messages: ReminderRow[];
}

interface Option {
  value: string;
  text: string;
  hint?: string;
}

export interface PreferencesView {
  participantId: string;
  name: string;
  channels: Option[];
  hours: Option[];
  values: FormValues;
}

function savedValues(preferences: ReminderPreferences): Record<string, string> {
  return {
    channel: preferences.reminderChannel,
    earliestHour: String(preferences.reminderEarliestHour),
    latestHour: String(preferences.reminderLatestHour),
  };
}

/** Text message only with a mobile, email only with an address: never a way that reaches nobody. */
export function preferencesView(page: PreferencesPage, posted?: FormValues): PreferencesView {
  const channels: Option[] = [];
  if (page.mobile)
    channels.push({ value: 'sms', text: 'Text message', hint: `To ${formatUkMobile(page.mobile)}` });
  if (page.email)
    channels.push({ value: 'email', text: 'Email', hint: `To ${page.email}, with a calendar invitation` });
  channels.push({ value: 'none', text: 'No reminders' });
  return {
    participantId: page.participantId,
    name: page.name,
    channels,
    hours: HOURS.map((hour) => ({ value: String(hour), text: hourLabel(hour) })),
    values: posted ?? savedValues(page.preferences),
  };
}

export function channelDescription(
  preferences: ReminderPreferences,
  mobile: string | null,
  email: string | null,
): string {
  switch (preferences.reminderChannel) {
    case 'sms':
      return mobile ? `Text message to ${formatUkMobile(mobile)}` : 'Text message (no mobile recorded)';
    case 'email':
      return email ? `Email to ${email}` : 'Email (no email address recorded)';
    case 'none':
      return 'No reminders';
  }
}

export function safeTimesDescription(preferences: ReminderPreferences): string {
  return `${hourLabel(preferences.reminderEarliestHour)} to ${hourLabel(preferences.reminderLatestHour)}, UK time`;
}

const KIND_LABELS: Record<ReminderRow['kind'], string> = {
  booked: 'Booking confirmation',
  upcoming: 'Reminder',
};
const CHANNEL_LABELS: Record<ReminderRow['channel'], string> = { sms: 'text', email: 'email' };

const STATUS_TAGS: Record<ReminderRow['status'], string> = {
  scheduled: 'nhsuk-tag--blue',
  sending: 'nhsuk-tag--blue',
  sent: 'nhsuk-tag--green',
  delivered: 'nhsuk-tag--green',
  failed: 'nhsuk-tag--red',
  cancelled: 'nhsuk-tag--grey',
  skipped: 'nhsuk-tag--grey',
};

export interface ReminderStatusItem {
  sessionAt: string;
  message: string;
  status: string;
  tagClass: string;
  detail: string;
}

/** One message as the worker sees it: scheduled for, sent, delivered, failed and why, cancelled, skipped. */
export function reminderStatusItem(row: ReminderRow): ReminderStatusItem {
  const details: Record<ReminderRow['status'], () => [string, string]> = {
    scheduled: () => [
      'Scheduled',
      row.attempts > 0
        ? `Trying again ${formatDateTime(row.nextAttemptAt)} (${String(row.attempts)} failed ${row.attempts === 1 ? 'try' : 'tries'})`
        : `For ${formatDateTime(row.nextAttemptAt)}`,
    ],
    sending: () => ['Sending', `Since ${formatDateTime(row.nextAttemptAt)}`],
    sent: () => ['Sent', formatDateTime(row.sentAt)],
    delivered: () => ['Delivered', `Sent ${formatDateTime(row.sentAt)}`],
    failed: () => ['Failed', row.statusReason ?? 'Not delivered'],
    cancelled: () => ['Cancelled', row.statusReason ?? ''],
    skipped: () => ['Not sent', row.statusReason ?? ''],
  };
  const [status, detail] = details[row.status]();
  return {
    sessionAt: formatDateTime(row.sessionStartsAt),
    message: `${KIND_LABELS[row.kind]} by ${CHANNEL_LABELS[row.channel]}`,
    status,
    tagClass: STATUS_TAGS[row.status],
    detail: detail.charAt(0).toUpperCase() + detail.slice(1),
  };
}

export interface ReminderPanelView {
  participantId: string;
  channel: string;
  safeTimes: string;
  changeHref: string | null;
  messages: ReminderStatusItem[];
}

export function reminderPanelView(panel: ReminderPanel): ReminderPanelView {
  return {
    participantId: panel.participantId,
    channel: channelDescription(panel.preferences, panel.mobile, panel.email),
    safeTimes: safeTimesDescription(panel.preferences),
    changeHref: panel.canManage ? `/participants/${panel.participantId}/reminders` : null,
    messages: panel.messages.map(reminderStatusItem),
  };
}
