-- Appointment against the essential criteria (issue 15, part 1). Applications stay in the
-- trust's recruitment system; the interview panel's assessment is recorded here, because
-- allocation depends on it. Nothing about a candidate's health is stored; no clinical
-- qualification is asked for. Unsuccessful candidates' records are deleted after the retention
-- period by a job (audited); an appointed candidate's record links to their staff account.
CREATE TABLE vacancies (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  crisis_team_id uuid NOT NULL REFERENCES crisis_teams (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  hours_per_week numeric(4, 1) NOT NULL CHECK (hours_per_week > 0 AND hours_per_week <= 48),
  closing_on date NOT NULL,
  created_by uuid NOT NULL REFERENCES staff_users (id),
  created_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);

CREATE TABLE panel_members (
  vacancy_id uuid NOT NULL REFERENCES vacancies (id),
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  chair boolean NOT NULL,
  PRIMARY KEY (vacancy_id, staff_id)
);
CREATE UNIQUE INDEX panel_members_one_chair_idx ON panel_members (vacancy_id) WHERE chair;

CREATE TABLE candidates (
  id uuid PRIMARY KEY,
  vacancy_id uuid NOT NULL REFERENCES vacancies (id),
  trust_id uuid NOT NULL REFERENCES trusts (id),
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  phone text CHECK (length(phone) <= 30),
  added_by uuid NOT NULL REFERENCES staff_users (id),
  added_at timestamptz NOT NULL,
  outcome text CHECK (outcome IN ('appointed', 'not_appointed')),
  decision_reasons text CHECK (length(decision_reasons) <= 2000),
  decided_by uuid REFERENCES staff_users (id),
  decided_at timestamptz,
  staff_id uuid REFERENCES staff_users (id),
  submission_token uuid NOT NULL UNIQUE,
  CHECK ((outcome IS NULL) = (decided_at IS NULL)),
  CHECK (outcome IS NULL OR decision_reasons IS NOT NULL)
);
CREATE INDEX candidates_vacancy_idx ON candidates (vacancy_id);
CREATE INDEX candidates_unsuccessful_idx ON candidates (decided_at) WHERE outcome = 'not_appointed';

-- Each panel member's scores for a candidate, submitted once for all criteria together.
CREATE TABLE panel_scores (
  candidate_id uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES staff_users (id),
  criterion_key text NOT NULL CHECK (criterion_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  score integer NOT NULL CHECK (score BETWEEN 0 AND 10),
  note text CHECK (length(note) <= 500),
  submitted_at timestamptz NOT NULL,
  PRIMARY KEY (candidate_id, member_id, criterion_key)
);
