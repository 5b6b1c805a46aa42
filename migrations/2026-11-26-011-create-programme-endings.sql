-- Planned endings (PRODUCT.md section 4). The worker marks a booked session as the ending
-- session; when the programme ends they record the end-of-programme summary, which the
-- participant can read and which is shared with their care team only with their consent.
ALTER TABLE programme_sessions ADD COLUMN is_ending boolean NOT NULL DEFAULT false;

CREATE TABLE programme_endings (
  participant_id uuid PRIMARY KEY REFERENCES participants (id),
  reason text NOT NULL CHECK (
    reason IN ('completed', 'window_expired', 'participant_ended', 'lost_contact', 'readmitted', 'other')
  ),
  reason_other text,
  ended_on date NOT NULL,
  -- Counted when the summary was written, so it reads the same later.
  sessions_attended integer NOT NULL,
  sections text[] NOT NULL,
  onward_support text CHECK (char_length(onward_support) <= 2000),
  -- A few words from the worker to the participant, in the summary they keep.
  message text CHECK (char_length(message) <= 2000),
  -- The participant's recorded consent to share the summary, and with whom.
  share_consent text NOT NULL CHECK (share_consent IN ('yes', 'no', 'not_asked')),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK (reason <> 'other' OR reason_other IS NOT NULL)
);

-- Each time the summary was sent to someone in the person's care, with their consent.
CREATE TABLE programme_ending_shares (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES programme_endings (participant_id),
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('crisis_team', 'care_coordinator', 'gp')),
  recipient_name text NOT NULL,
  recipient_email text NOT NULL,
  notification_id uuid REFERENCES notifications (id),
  shared_by uuid NOT NULL REFERENCES staff_users (id),
  shared_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX programme_ending_shares_participant_idx ON programme_ending_shares (participant_id);

-- A participant asking to move a session; their worker is told and answers by rebooking.
CREATE TABLE session_change_requests (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES programme_sessions (id),
  participant_id uuid NOT NULL REFERENCES participants (id),
  message text CHECK (char_length(message) <= 500),
  requested_at timestamptz NOT NULL,
  resolved_at timestamptz,
  resolved_by uuid REFERENCES staff_users (id),
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX session_change_requests_open_idx ON session_change_requests (participant_id) WHERE resolved_at IS NULL;
