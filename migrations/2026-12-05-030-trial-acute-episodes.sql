-- Acute-care episodes of the trial's randomised participants (PRODUCT.md section 7), from which
-- the primary outcome is computed: readmission to acute care within 365 days of randomisation.
-- Each about a randomised person (by their randomisation, never a name), its kind and source
-- (keys of src/trial/acute-care-episodes.json), its dates and optional notes. Recorded by
-- outcome assessors and the trial manager; a correction changes the row (its version goes up)
-- and is audited with what it was before and after.
CREATE TABLE trial_acute_episodes (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  started_on date NOT NULL,
  ended_on date,
  source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_]{0,39}$'),
  -- In the research team's words: no names or contact details.
  notes text CHECK (char_length(notes) BETWEEN 1 AND 500),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  changed_by uuid REFERENCES staff_users (id),
  changed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  submission_token uuid NOT NULL UNIQUE,
  CHECK (ended_on IS NULL OR ended_on >= started_on),
  CHECK ((changed_at IS NULL) = (changed_by IS NULL))
);
CREATE INDEX trial_acute_episodes_randomisation_idx ON trial_acute_episodes (randomisation_id, started_on);
CREATE INDEX trial_acute_episodes_trial_idx ON trial_acute_episodes (trial_id);
