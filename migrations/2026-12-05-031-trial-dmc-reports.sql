-- A data monitoring committee report of outcomes by arm, before the trial's database lock
-- (PRODUCT.md section 7): only the unblinded statistician asks for one, naming the meeting (its
-- date and purpose). Each is an unblinding, audited when asked for and every time it is read.
CREATE TABLE trial_dmc_reports (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  meeting_on date NOT NULL,
  purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 500),
  requested_by uuid NOT NULL REFERENCES staff_users (id),
  requested_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX trial_dmc_reports_trial_idx ON trial_dmc_reports (trial_id, requested_at DESC);
