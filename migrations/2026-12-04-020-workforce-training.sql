-- The peer workforce's training and pre-employment checks (issue 15): what gates allocation in
-- place of the yes/no "cleared to take participants". Item keys come from the training
-- catalogue (src/workforce/training-catalogue.json), so they are text, checked by the app.
-- Every record is kept: the latest completion of an item is the one in force; a record made in
-- error is withdrawn (with who and why), never deleted.
CREATE TABLE training_records (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  item_key text NOT NULL CHECK (item_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  completed_on date NOT NULL,
  provider text NOT NULL CHECK (length(provider) BETWEEN 1 AND 200),
  note text CHECK (length(note) <= 1000),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE,
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES staff_users (id),
  withdrawn_reason text CHECK (length(withdrawn_reason) <= 500),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
);
CREATE INDEX training_records_staff_idx ON training_records (staff_id, item_key, completed_on DESC)
  WHERE withdrawn_at IS NULL;
CREATE INDEX training_records_trust_idx ON training_records (trust_id);

-- Pre-employment checks as dated facts, never documents. An enhanced DBS check carries the day
-- the trust renews it by.
CREATE TABLE pre_employment_checks (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  kind text NOT NULL CHECK (kind IN ('dbs', 'references', 'right_to_work', 'occupational_health')),
  completed_on date NOT NULL,
  renew_by date,
  note text CHECK (length(note) <= 1000),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE,
  CHECK ((kind = 'dbs') = (renew_by IS NOT NULL)),
  CHECK (renew_by IS NULL OR renew_by > completed_on)
);
CREATE INDEX pre_employment_checks_staff_idx ON pre_employment_checks (staff_id, kind, completed_on DESC);
CREATE INDEX pre_employment_checks_trust_idx ON pre_employment_checks (trust_id);

-- The coordinator's decision that a worker may take new participants although their training
-- or checks are not complete: with a reason, until a day, shown on the worker's record. One in
-- force at a time; ending it keeps it as history. granted_by is null only for the overrides
-- made from the earlier yes/no (the next migration).
CREATE TABLE allocation_overrides (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  until_on date NOT NULL,
  granted_by uuid REFERENCES staff_users (id),
  granted_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_by uuid REFERENCES staff_users (id)
);
CREATE UNIQUE INDEX allocation_overrides_one_open_idx ON allocation_overrides (staff_id) WHERE ended_at IS NULL;

-- Each reminder about an expiring item or check, claimed once per worker, item, expiry day and
-- kind ('due_soon' before, 'expired' on the day after), in the transaction that queues its
-- emails: a crash keeps both or neither, and a second run finds it taken.
CREATE TABLE training_reminders (
  id uuid PRIMARY KEY,
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  item_key text NOT NULL,
  expires_on date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('due_soon', 'expired')),
  sent_at timestamptz NOT NULL,
  recipients integer NOT NULL,
  UNIQUE (staff_id, item_key, expires_on, kind)
);
