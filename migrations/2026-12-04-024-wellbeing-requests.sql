-- A peer support worker's private request for support from their supervisor (issue 15, part 5):
-- after a hard session or at any time. Seen by the worker and the supervisors it went to, never
-- colleagues; the coordinator sees counts per team, never names. Never in a performance view.
CREATE TABLE wellbeing_requests (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  -- The worker's team when they asked, for the coordinator's counts.
  crisis_team_id uuid REFERENCES crisis_teams (id),
  after_session boolean NOT NULL,
  note text CHECK (length(note) <= 500),
  -- Who it went to (their named supervisor, or their team's supervisors), as staff ids.
  supervisor_ids uuid[] NOT NULL,
  raised_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES staff_users (id),
  submission_token uuid NOT NULL UNIQUE,
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX wellbeing_requests_staff_idx ON wellbeing_requests (staff_id, raised_at DESC);
CREATE INDEX wellbeing_requests_open_idx ON wellbeing_requests USING gin (supervisor_ids) WHERE acknowledged_at IS NULL;
CREATE INDEX wellbeing_requests_trust_idx ON wellbeing_requests (trust_id, raised_at);
