-- Safety concerns and advice requests (PRODUCT.md section 5): a peer support worker raises
-- one; it goes to the duty inbox of the participant's crisis team; a clinician acknowledges
-- it, records what was done and closes it. Unacknowledged items escalate, one step at a time.
ALTER TABLE crisis_teams ADD COLUMN duty_email text;

CREATE TABLE safety_concerns (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('concern', 'advice')),
  participant_id uuid NOT NULL REFERENCES participants (id),
  -- The team whose duty inbox it is in: the participant's team when it was raised.
  crisis_team_id uuid NOT NULL REFERENCES crisis_teams (id),
  session_id uuid REFERENCES programme_sessions (id),
  raised_by uuid NOT NULL REFERENCES staff_users (id),
  raised_at timestamptz NOT NULL,
  urgency text NOT NULL CHECK (urgency IN ('immediate', 'urgent', 'routine')),
  what_happened text NOT NULL CHECK (char_length(what_happened) BETWEEN 1 AND 4000),
  -- Immediate danger: the page tells the worker to call 999 now and records that they did.
  called_999_at timestamptz,
  participant_knows text CHECK (participant_knows IN ('yes', 'no', 'not_yet')),
  -- Shared although the participant has not consented to sharing: safety overrides it.
  safety_override boolean NOT NULL DEFAULT false,
  acknowledge_by timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
  acknowledged_by uuid REFERENCES staff_users (id),
  acknowledged_at timestamptz,
  action text CHECK (action IN ('called_participant', 'arranged_visit', 'advised_worker', 'referred_on', 'no_action')),
  action_note text CHECK (char_length(action_note) <= 4000),
  closed_by uuid REFERENCES staff_users (id),
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  submission_token uuid NOT NULL UNIQUE,
  CHECK (kind = 'concern' OR urgency <> 'immediate'),
  CHECK (status = 'open' OR acknowledged_at IS NOT NULL),
  CHECK (status <> 'closed' OR (action IS NOT NULL AND closed_at IS NOT NULL)),
  CHECK (action IS DISTINCT FROM 'no_action' OR action_note IS NOT NULL)
);
CREATE INDEX safety_concerns_inbox_idx ON safety_concerns (crisis_team_id, status, acknowledge_by);
CREATE INDEX safety_concerns_raised_by_idx ON safety_concerns (raised_by, raised_at DESC);
CREATE INDEX safety_concerns_participant_idx ON safety_concerns (participant_id, raised_at DESC);
CREATE INDEX safety_concerns_open_idx ON safety_concerns (acknowledge_by) WHERE status = 'open';

-- The thread of an advice request or a concern: worker and clinicians writing to each other.
CREATE TABLE safety_concern_messages (
  id uuid PRIMARY KEY,
  concern_id uuid NOT NULL REFERENCES safety_concerns (id),
  written_by uuid NOT NULL REFERENCES staff_users (id),
  written_at timestamptz NOT NULL,
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX safety_concern_messages_concern_idx ON safety_concern_messages (concern_id, written_at);

-- Each escalation step of an unacknowledged item, sent at most once (one row per step).
CREATE TABLE safety_escalations (
  id uuid PRIMARY KEY,
  concern_id uuid NOT NULL REFERENCES safety_concerns (id),
  step integer NOT NULL CHECK (step BETWEEN 1 AND 10),
  -- 'duty_contact', then 'supervisor', then 'coordinator'.
  step_kind text NOT NULL CHECK (step_kind IN ('duty_contact', 'supervisor', 'coordinator')),
  escalated_at timestamptz NOT NULL,
  recipients text[] NOT NULL,
  UNIQUE (concern_id, step)
);

-- Lone working: a worker checks in before a visit and out after; an overdue check-out alerts
-- their supervisor, then the coordinator, until someone acknowledges it.
CREATE TABLE lone_working_visits (
  id uuid PRIMARY KEY,
  worker_id uuid NOT NULL REFERENCES staff_users (id),
  participant_id uuid REFERENCES participants (id),
  place text NOT NULL CHECK (char_length(place) BETWEEN 1 AND 300),
  checked_in_at timestamptz NOT NULL,
  expected_end_at timestamptz NOT NULL,
  checked_out_at timestamptz,
  acknowledged_by uuid REFERENCES staff_users (id),
  acknowledged_at timestamptz,
  acknowledgement_note text CHECK (char_length(acknowledgement_note) <= 1000),
  submission_token uuid NOT NULL UNIQUE,
  CHECK (expected_end_at > checked_in_at)
);
CREATE INDEX lone_working_open_idx ON lone_working_visits (expected_end_at)
  WHERE checked_out_at IS NULL AND acknowledged_at IS NULL;
CREATE INDEX lone_working_worker_idx ON lone_working_visits (worker_id, checked_in_at DESC);

CREATE TABLE lone_working_alerts (
  id uuid PRIMARY KEY,
  visit_id uuid NOT NULL REFERENCES lone_working_visits (id),
  step integer NOT NULL CHECK (step BETWEEN 1 AND 10),
  step_kind text NOT NULL CHECK (step_kind IN ('supervisor', 'coordinator')),
  alerted_at timestamptz NOT NULL,
  recipients text[] NOT NULL,
  UNIQUE (visit_id, step)
);

-- What the participant agreed the worker may pass to their clinical team: every decision is
-- kept; the latest is the one in force.
CREATE TABLE sharing_consents (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id),
  consent text NOT NULL CHECK (consent IN ('yes', 'no')),
  scope text CHECK (char_length(scope) <= 1000),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX sharing_consents_participant_idx ON sharing_consents (participant_id, recorded_at DESC);
