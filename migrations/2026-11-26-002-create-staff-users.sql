-- Staff accounts. One person may hold several roles; a clinician or peer support worker
-- belongs to one crisis team, a coordinator to the trust as a whole.
CREATE TABLE staff_users (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  crisis_team_id uuid REFERENCES crisis_teams (id),
  email text NOT NULL,
  full_name text NOT NULL,
  roles text[] NOT NULL,
  password_hash text,
  totp_secret text,
  totp_enrolled_at timestamptz,
  totp_last_step bigint,
  cleared_for_allocation boolean NOT NULL DEFAULT false,
  caseload_limit integer NOT NULL DEFAULT 12 CHECK (caseload_limit BETWEEN 1 AND 60),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (cardinality(roles) > 0),
  CHECK (roles <@ ARRAY['peer_worker', 'supervisor', 'clinician', 'coordinator', 'trial_manager', 'outcome_assessor', 'analyst']::text[])
);
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));
CREATE INDEX staff_users_trust_idx ON staff_users (trust_id);
