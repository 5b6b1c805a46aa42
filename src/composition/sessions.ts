/** Programme sessions, requests to rearrange them, and the reminders sent before them. */
import { ProgrammeSessionsService } from '../sessions/sessions.service.ts';
import { ChangeRequestsService } from '../sessions/change-requests.service.ts';
import { ReminderSchedulingService } from '../reminders/reminder-scheduling.service.ts';
import { ReminderPreferencesService } from '../reminders/reminder-preferences.service.ts';
import { ReminderCalendarService } from '../reminders/reminder-calendar.service.ts';
import { ReminderDeliveryService } from '../reminders/reminder-delivery.service.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';

export function buildSessionServices(
  { config, db, clock, log, audit, repositories }: Foundation,
  { notifications, messageOutbox }: Messaging,
) {
  const { participants, programmeSessions, changeRequests, reminders, staff, endings } = repositories;
  const reminderSettings = { ...config.reminders, publicUrl: config.publicUrl };
  const reminderScheduling = new ReminderSchedulingService(reminders, clock, reminderSettings);
  return {
    reminderScheduling,
    reminderPreferences: new ReminderPreferencesService(
      db,
      reminders,
      participants,
      reminderScheduling,
      audit,
      clock,
    ),
    reminderCalendar: new ReminderCalendarService(
      db,
      reminders,
      participants,
      audit,
      clock,
      reminderSettings,
    ),
    reminderDelivery: new ReminderDeliveryService(
      db,
      reminders,
      messageOutbox,
      notifications,
      audit,
      clock,
      reminderSettings,
    ),
    programmeSessions: new ProgrammeSessionsService(
      db,
      participants,
      programmeSessions,
      audit,
      clock,
      config.programme,
      endings,
      reminderScheduling,
      changeRequests,
    ),
    changeRequests: new ChangeRequestsService(
      db,
      changeRequests,
      programmeSessions,
      participants,
      staff,
      messageOutbox,
      audit,
      clock,
      config.publicUrl,
      log,
    ),
  };
}
