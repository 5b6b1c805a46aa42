-- Serious adverse events of the trial's participants (PRODUCT.md section 7): each about a
-- randomised person (by their randomisation, never a name), its kind (src/trial/
-- serious-adverse-events.json), relatedness and expectedness, and the 24-hour clock from the
-- research team becoming aware of it to its report to the sponsor. The 'trial.sae-clock' job
-- warns the trial managers once before it runs out and once when it has (each claimed here).
CREATE TABLE trial_saes (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  onset_on date NOT NULL,
  aware_at timestamptz NOT NULL,
  report_by timestamptz NOT NULL,
  -- What happened, in the research team's words: no names or contact details.
  summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 1000),
  relatedness text NOT NULL CHECK (relatedness IN ('not_related', 'unlikely', 'possibly', 'probably', 'definitely')),
  expectedness text NOT NULL CHECK (expectedness IN ('expected', 'unexpected')),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  reported_at timestamptz,
  reported_by uuid REFERENCES staff_users (id),
  sponsor_reference text CHECK (char_length(sponsor_reference) BETWEEN 1 AND 60),
  warned_at timestamptz,
  overdue_at timestamptz,
  submission_token uuid NOT NULL UNIQUE,
  CHECK (report_by > aware_at),
  CHECK ((reported_at IS NULL) = (reported_by IS NULL))
);
CREATE INDEX trial_saes_unreported_idx ON trial_saes (report_by) WHERE reported_at IS NULL;
CREATE INDEX trial_saes_trial_idx ON trial_saes (trial_id, aware_at DESC);
