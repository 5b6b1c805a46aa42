-- Server-side sign-in sessions. Only a hash of the cookie's id is stored, so a copy of this
-- table cannot be used to take over a session.
CREATE TABLE user_sessions (
  id_hash text PRIMARY KEY,
  subject_type text NOT NULL CHECK (subject_type IN ('staff', 'participant')),
  subject_id uuid NOT NULL,
  -- 'password' = waiting for the second factor; 'full' = signed in.
  stage text NOT NULL CHECK (stage IN ('password', 'full')),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ip text
);
CREATE INDEX user_sessions_subject_idx ON user_sessions (subject_type, subject_id) WHERE ended_at IS NULL;

-- Failed sign-in counters per key (an account, an account and address, or a contact),
-- used to slow guessing without locking the real person out.
CREATE TABLE sign_in_throttles (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  blocked_until timestamptz
);

CREATE TABLE participant_sign_in_codes (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id),
  code_hash text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX participant_sign_in_codes_participant_idx ON participant_sign_in_codes (participant_id, created_at);
