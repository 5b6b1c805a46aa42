-- Supervision (issue 15, part 3): 1:1 supervision between a worker and their supervisor (notes
-- and agreed actions private to the two of them; the coordinator sees only that it happened),
-- and group supervision run by the trust (attendance and themes, never participant-identifiable).
CREATE TABLE supervision_sessions (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  kind text NOT NULL CHECK (kind IN ('one_to_one', 'group')),
  held_on date NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
  -- 1:1: the worker and the supervisor who held it. Group: who facilitated (a name: often
  -- someone from outside Greenleaf).
  worker_id uuid REFERENCES staff_users (id),
  supervisor_id uuid REFERENCES staff_users (id),
  facilitator text CHECK (length(facilitator) <= 200),
  themes text[] NOT NULL DEFAULT '{}',
  notes text CHECK (length(notes) <= 4000),
  -- 1:1: the day the next one is booked for, if it is.
  next_on date,
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE,
  CHECK ((kind = 'one_to_one') = (worker_id IS NOT NULL AND supervisor_id IS NOT NULL)),
  CHECK (kind = 'group' OR facilitator IS NULL),
  CHECK (next_on IS NULL OR next_on > held_on)
);
CREATE INDEX supervision_sessions_worker_idx ON supervision_sessions (worker_id, held_on DESC) WHERE kind = 'one_to_one';
CREATE INDEX supervision_sessions_trust_idx ON supervision_sessions (trust_id, held_on DESC);

CREATE TABLE supervision_attendees (
  session_id uuid NOT NULL REFERENCES supervision_sessions (id),
  worker_id uuid NOT NULL REFERENCES staff_users (id),
  PRIMARY KEY (session_id, worker_id)
);
CREATE INDEX supervision_attendees_worker_idx ON supervision_attendees (worker_id);

-- What a worker and their supervisor agreed at a 1:1, each with the day it is due.
CREATE TABLE supervision_actions (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES supervision_sessions (id),
  position integer NOT NULL CHECK (position BETWEEN 1 AND 10),
  action text NOT NULL CHECK (length(action) BETWEEN 1 AND 500),
  due_on date NOT NULL,
  UNIQUE (session_id, position)
);

-- Each worker's targets, when not the deployment's defaults (SUPERVISION_*_EVERY_DAYS).
ALTER TABLE staff_users ADD COLUMN one_to_one_every_days integer CHECK (one_to_one_every_days BETWEEN 7 AND 180);
ALTER TABLE staff_users ADD COLUMN group_every_days integer CHECK (group_every_days BETWEEN 7 AND 180);
