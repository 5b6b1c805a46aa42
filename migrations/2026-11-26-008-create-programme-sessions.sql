-- Sessions a peer support worker books with a participant, and what happened at each
-- (PRODUCT.md section 4). Every earlier version of a session is kept in
-- programme_session_revisions when someone changes it.
CREATE TABLE programme_sessions (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id),
  -- Who the session is with: the participant's peer support worker when it was booked.
  peer_worker_id uuid NOT NULL REFERENCES staff_users (id),
  booked_by uuid NOT NULL REFERENCES staff_users (id),
  booked_at timestamptz NOT NULL,
  planned_at timestamptz NOT NULL,
  mode text NOT NULL CHECK (mode IN ('in_person', 'phone', 'video')),
  place text CHECK (place IN ('home', 'community_venue', 'nhs_site')),
  status text NOT NULL DEFAULT 'planned' CHECK (
    status IN ('planned', 'attended', 'did_not_attend', 'cancelled_by_participant', 'cancelled_by_worker', 'rescheduled')
  ),
  status_reason text CHECK (status_reason IN ('unwell', 'life_event', 'lost_contact', 'other')),
  status_reason_other text,
  duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 600),
  sections text[] NOT NULL DEFAULT '{}',
  story_sharing boolean,
  note text CHECK (char_length(note) <= 2000),
  follow_ups text,
  -- Why a session was booked after the programme window ends (required then).
  outside_window_reason text,
  recorded_by uuid REFERENCES staff_users (id),
  recorded_at timestamptz,
  -- The booking form's one-time token: a resubmitted form finds the first session.
  submission_token uuid NOT NULL UNIQUE,
  version integer NOT NULL DEFAULT 1,
  CHECK (mode <> 'in_person' OR place IS NOT NULL),
  CHECK (status IN ('planned', 'attended') OR status_reason IS NOT NULL),
  CHECK (status_reason IS DISTINCT FROM 'other' OR status_reason_other IS NOT NULL)
);
CREATE INDEX programme_sessions_participant_idx ON programme_sessions (participant_id, planned_at);
CREATE INDEX programme_sessions_worker_idx ON programme_sessions (peer_worker_id, planned_at);

-- The session as it was before each change: who changed it, when and why.
CREATE TABLE programme_session_revisions (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES programme_sessions (id),
  version integer NOT NULL,
  snapshot jsonb NOT NULL,
  changed_by uuid NOT NULL REFERENCES staff_users (id),
  changed_at timestamptz NOT NULL,
  why text,
  UNIQUE (session_id, version)
);
