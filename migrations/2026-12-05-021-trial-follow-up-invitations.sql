-- Invitations to complete a follow-up online (src/trial/follow-up-invitation.service.ts): a
-- one-time link sent to the linked participant record's contact through the message outbox. Only
-- the token's SHA-256 is kept; the link works until it expires or is used, once.
CREATE TABLE trial_follow_up_invitations (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  time_point text NOT NULL CHECK (time_point ~ '^[a-z][a-z0-9_]{0,39}$'),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  sent_by uuid NOT NULL REFERENCES staff_users (id),
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  submission_token uuid NOT NULL UNIQUE,
  CHECK (expires_at > sent_at)
);
CREATE INDEX trial_follow_up_invitations_person_idx ON trial_follow_up_invitations (randomisation_id, time_point, sent_at DESC);
