-- Protocol deviations (PRODUCT.md section 7): recorded by the trial manager, each of a kind from
-- src/trial/protocol-deviations.json, about a randomised person (optional: some concern a site),
-- with its severity (a serious breach is reported to the sponsor) and the corrective and
-- preventive action taken.
CREATE TABLE trial_deviations (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid REFERENCES trial_randomisations (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  occurred_on date NOT NULL,
  description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 1000),
  severity text NOT NULL CHECK (severity IN ('minor', 'major', 'serious_breach')),
  corrective_action text NOT NULL CHECK (char_length(corrective_action) BETWEEN 1 AND 1000),
  preventive_action text NOT NULL CHECK (char_length(preventive_action) BETWEEN 1 AND 1000),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX trial_deviations_list_idx ON trial_deviations (trial_id, occurred_on DESC);
