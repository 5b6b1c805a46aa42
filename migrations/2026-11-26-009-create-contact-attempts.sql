-- Staying in touch (PRODUCT.md section 4): every attempt to reach a participant between
-- sessions, by what means and with what result. A run of unsuccessful attempts since the
-- last time they were reached drives the re-contact workflow; "lost contact" can only be
-- recorded after a configured number of them.
CREATE TABLE contact_attempts (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id),
  made_by uuid NOT NULL REFERENCES staff_users (id),
  -- When the attempt was made (may be earlier than when it was recorded).
  made_at timestamptz NOT NULL,
  method text NOT NULL CHECK (method IN ('phone', 'text', 'email', 'letter', 'visit', 'via_care_team')),
  outcome text NOT NULL CHECK (
    outcome IN ('spoke', 'reply_received', 'message_left', 'no_answer', 'wrong_number', 'moved_away', 'letter_returned', 'other')
  ),
  -- True when the participant was actually reached (spoke, or replied).
  reached boolean NOT NULL,
  note text CHECK (char_length(note) <= 1000),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX contact_attempts_participant_idx ON contact_attempts (participant_id, made_at DESC);
