-- Every message handed to the notification service. The outbox adapter (local use and
-- tests) leaves them here as 'outbox'; the GOV.UK Notify adapter records Notify's id.
CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient text NOT NULL,
  template text NOT NULL,
  personalisation jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('outbox', 'sent', 'failed')),
  provider_reference text,
  created_at timestamptz NOT NULL
);
CREATE INDEX notifications_created_idx ON notifications (created_at DESC);
