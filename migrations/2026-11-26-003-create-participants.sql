-- A person referred by a crisis team at discharge, and who supports them.
CREATE TABLE participants (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  crisis_team_id uuid NOT NULL REFERENCES crisis_teams (id),
  given_name text NOT NULL,
  family_name text NOT NULL,
  preferred_name text,
  date_of_birth date NOT NULL,
  nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
  email text,
  mobile text,
  phone text,
  address text,
  postcode text,
  contact_methods text[] NOT NULL,
  safe_contact_times text,
  may_leave_messages boolean NOT NULL,
  discharged_on date NOT NULL,
  discharge_destination text NOT NULL CHECK (discharge_destination IN ('cmht', 'gp')),
  accessibility_needs text,
  safety_information text,
  referred_by uuid NOT NULL REFERENCES staff_users (id),
  referred_at timestamptz NOT NULL,
  -- The form's one-time token: a resubmitted referral form finds the first one instead of
  -- creating a second (QUALITY.md: duplicate submissions create exactly one record).
  submission_token uuid NOT NULL UNIQUE,
  version integer NOT NULL DEFAULT 1,
  CHECK (cardinality(contact_methods) > 0)
);
CREATE INDEX participants_team_idx ON participants (crisis_team_id);
CREATE INDEX participants_trust_idx ON participants (trust_id, referred_at);
CREATE UNIQUE INDEX participants_nhs_number_key ON participants (trust_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX participants_mobile_idx ON participants (mobile) WHERE mobile IS NOT NULL;
CREATE INDEX participants_email_idx ON participants (lower(email)) WHERE email IS NOT NULL;

-- Allocation history: the current worker is the row without ended_at.
CREATE TABLE allocations (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id),
  peer_worker_id uuid NOT NULL REFERENCES staff_users (id),
  allocated_by uuid NOT NULL REFERENCES staff_users (id),
  allocated_at timestamptz NOT NULL,
  reason text,
  ended_at timestamptz,
  ended_by uuid REFERENCES staff_users (id)
);
CREATE UNIQUE INDEX allocations_current_key ON allocations (participant_id) WHERE ended_at IS NULL;
CREATE INDEX allocations_worker_idx ON allocations (peer_worker_id) WHERE ended_at IS NULL;
