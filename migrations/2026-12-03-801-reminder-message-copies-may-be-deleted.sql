-- The copy of a reminder message is deleted after NOTIFICATION_RETENTION_DAYS; the reminder
-- itself (when it was sent, what became of it, the provider's id) stays with the session.
ALTER TABLE session_reminders DROP CONSTRAINT session_reminders_notification_id_fkey;
ALTER TABLE session_reminders
  ADD CONSTRAINT session_reminders_notification_id_fkey
  FOREIGN KEY (notification_id) REFERENCES notifications (id) ON DELETE SET NULL;
