-- Session reminders (PRODUCT.md section 4). How and when a participant wants reminding is
-- theirs to choose: by text, by email or not at all, and only between the hours they say
-- are safe (a shared phone must not buzz at the wrong time).
ALTER TABLE participants
  ADD COLUMN reminder_channel text NOT NULL DEFAULT 'none' CHECK (reminder_channel IN ('sms', 'email', 'none')),
  ADD COLUMN reminder_earliest_hour smallint NOT NULL DEFAULT 9 CHECK (reminder_earliest_hour BETWEEN 0 AND 23),
  ADD COLUMN reminder_latest_hour smallint NOT NULL DEFAULT 20 CHECK (reminder_latest_hour BETWEEN 1 AND 24),
  ADD CHECK (reminder_earliest_hour < reminder_latest_hour);

-- One row per message due about a session. The row is the source of truth: the job that
-- sends due reminders claims a row before sending, so a message goes at most once even
-- across restarts and several instances; provider failures are retried with back-off.
CREATE TABLE session_reminders (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES programme_sessions (id),
  participant_id uuid NOT NULL REFERENCES participants (id),
  -- 'booked': confirmation when the session is booked (with a calendar invitation by
  -- email); 'upcoming': the reminder before the session.
  kind text NOT NULL CHECK (kind IN ('booked', 'upcoming')),
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient text NOT NULL,
  -- The session start this message is about; a moved session cancels it.
  session_starts_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (
    status IN ('scheduled', 'sending', 'sent', 'delivered', 'failed', 'cancelled', 'skipped')
  ),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  notification_id uuid REFERENCES notifications (id),
  provider_reference text,
  sent_at timestamptz,
  status_checked_at timestamptz,
  cancelled_at timestamptz,
  -- Why it was cancelled or skipped: 'session cancelled', 'session moved', 'outside safe times'.
  status_reason text,
  -- SHA-256 of the calendar link's token (email only); the link serves the .ics file.
  calendar_token_hash text UNIQUE,
  created_at timestamptz NOT NULL,
  UNIQUE (session_id, kind, session_starts_at)
);
CREATE INDEX session_reminders_due_idx ON session_reminders (next_attempt_at) WHERE status = 'scheduled';
CREATE INDEX session_reminders_session_idx ON session_reminders (session_id);
CREATE INDEX session_reminders_unconfirmed_idx ON session_reminders (sent_at) WHERE status = 'sent';

ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
  CHECK (status IN ('outbox', 'sent', 'delivered', 'failed'));
