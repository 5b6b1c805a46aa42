-- Why a session did not go ahead comes from a list each deployment sets
-- (SESSION_STATUS_REASONS; "other" with words is always there), so the database checks the
-- shape of the code, not a fixed list. A recorded session can carry a concern to raise with
-- the crisis team, which the safety workflow will pick up.
ALTER TABLE programme_sessions DROP CONSTRAINT programme_sessions_status_reason_check;
ALTER TABLE programme_sessions ADD CONSTRAINT programme_sessions_status_reason_check
  CHECK (status_reason ~ '^[a-z][a-z_]{0,39}$');
ALTER TABLE programme_sessions ADD COLUMN concern_to_raise boolean NOT NULL DEFAULT false;
