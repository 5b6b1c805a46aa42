-- Trial mode (TRIAL_MODE, PRODUCT.md section 7), first part: the trial and its sites, the
-- screening log and consent with its withdrawals (src/trial/).
--
-- One trial per deployment is enough today; every row still names its trial, so a second one
-- needs no change of shape.
CREATE TABLE trials (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  short_code text NOT NULL UNIQUE CHECK (short_code ~ '^[A-Z0-9-]{2,20}$'),
  opened_at timestamptz NOT NULL,
  -- The database lock: set once, after which nothing of the trial changes (a later slice).
  locked_at timestamptz
);

-- The trusts taking part. Research staff of a site work across every site of their trial.
CREATE TABLE trial_sites (
  trial_id uuid NOT NULL REFERENCES trials (id),
  trust_id uuid NOT NULL REFERENCES trusts (id),
  PRIMARY KEY (trial_id, trust_id)
);

-- The screening log: everyone assessed for eligibility, eligible or not. Not an identifiable
-- record: initials and year of birth only, as a CONSORT screening log keeps them.
CREATE TABLE trial_screenings (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL,
  trust_id uuid NOT NULL,
  crisis_team_id uuid NOT NULL REFERENCES crisis_teams (id),
  screened_on date NOT NULL,
  screened_by uuid NOT NULL REFERENCES staff_users (id),
  screened_at timestamptz NOT NULL,
  initials text NOT NULL CHECK (initials ~ '^[A-Z]{1,3}$'),
  year_of_birth smallint NOT NULL CHECK (year_of_birth BETWEEN 1900 AND 2100),
  -- The checklist's version (src/trial/eligibility.json) and each criterion's key to 'yes' or 'no'.
  checklist_version integer NOT NULL,
  answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
  eligible boolean NOT NULL,
  -- The keys of the criteria not met, worked out from the answers: empty exactly when eligible.
  ineligible_reasons text[] NOT NULL,
  -- What happened when an eligible person was approached; NULL while undecided.
  approach text CHECK (approach IN ('consented', 'declined', 'not_approached')),
  approach_reason text CHECK (char_length(approach_reason) BETWEEN 1 AND 500),
  approach_recorded_by uuid REFERENCES staff_users (id),
  approach_recorded_at timestamptz,
  submission_token uuid NOT NULL UNIQUE,
  FOREIGN KEY (trial_id, trust_id) REFERENCES trial_sites (trial_id, trust_id),
  CHECK (eligible = (cardinality(ineligible_reasons) = 0)),
  CHECK (approach IS NULL OR eligible),
  CHECK ((approach IS NULL) = (approach_recorded_at IS NULL)),
  CHECK ((approach IS NULL) = (approach_recorded_by IS NULL)),
  -- Someone who was not approached always has a reason; a person who declined need not give one.
  CHECK (approach IS DISTINCT FROM 'not_approached' OR approach_reason IS NOT NULL),
  CHECK (approach_reason IS NULL OR approach IN ('declined', 'not_approached'))
);
CREATE INDEX trial_screenings_log_idx ON trial_screenings (trial_id, screened_on DESC, screened_at DESC);

-- Consent to take part, one per screening, taken by research staff with the approved document
-- version, and only with the person's capacity to consent confirmed.
CREATE TABLE trial_consents (
  id uuid PRIMARY KEY,
  screening_id uuid NOT NULL UNIQUE REFERENCES trial_screenings (id),
  document_version text NOT NULL CHECK (char_length(document_version) BETWEEN 1 AND 40),
  taken_by uuid NOT NULL REFERENCES staff_users (id),
  taken_on date NOT NULL,
  recorded_at timestamptz NOT NULL,
  capacity_confirmed boolean NOT NULL CHECK (capacity_confirmed),
  submission_token uuid NOT NULL UNIQUE
);

-- Withdrawals from the trial, each kept for good: a later, wider one is added beside it
-- (intervention < follow_up < data), never written over.
CREATE TABLE trial_withdrawals (
  id uuid PRIMARY KEY,
  consent_id uuid NOT NULL REFERENCES trial_consents (id),
  scope text NOT NULL CHECK (scope IN ('intervention', 'follow_up', 'data')),
  withdrawn_on date NOT NULL,
  reason text CHECK (char_length(reason) BETWEEN 1 AND 500),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE,
  UNIQUE (consent_id, scope)
);

CREATE FUNCTION trial_withdrawals_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'trial_withdrawals rows are never changed or deleted';
END;
$$;
CREATE TRIGGER trial_withdrawals_kept
  BEFORE UPDATE OR DELETE ON trial_withdrawals
  FOR EACH ROW EXECUTE FUNCTION trial_withdrawals_are_kept();
