-- Data queries (PRODUCT.md section 7, src/trial/data-query.service.ts): a question raised on one
-- value of a randomised person's trial record (by their randomisation; the field from the declared
-- list in src/trial/query-fields.ts, with the value as it stood), answered by the trial manager,
-- then closed by whoever raised it or re-opened with a follow-up. Each answer and follow-up is
-- kept as a reply, never written over.
CREATE TABLE trial_data_queries (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  field text NOT NULL CHECK (field ~ '^[a-z][a-z_.]{0,60}$'),
  value_as_raised text CHECK (char_length(value_as_raised) <= 200),
  question text NOT NULL CHECK (char_length(question) BETWEEN 1 AND 1000),
  status text NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
  raised_by uuid NOT NULL REFERENCES staff_users (id),
  raised_at timestamptz NOT NULL,
  -- When it last waited for an answer (raised, or re-opened): its age on the list.
  open_since timestamptz NOT NULL,
  closed_by uuid REFERENCES staff_users (id),
  closed_at timestamptz,
  submission_token uuid NOT NULL UNIQUE,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((closed_at IS NULL) = (closed_by IS NULL))
);
CREATE INDEX trial_data_queries_list_idx ON trial_data_queries (trial_id, status, open_since);

CREATE TABLE trial_data_query_replies (
  id uuid PRIMARY KEY,
  query_id uuid NOT NULL REFERENCES trial_data_queries (id),
  kind text NOT NULL CHECK (kind IN ('answer', 'follow_up')),
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 1000),
  -- An answer says whether the value was corrected (in its own record, by its own form).
  value_corrected boolean,
  written_by uuid NOT NULL REFERENCES staff_users (id),
  written_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE,
  CHECK ((kind = 'answer') = (value_corrected IS NOT NULL))
);
CREATE INDEX trial_data_query_replies_query_idx ON trial_data_query_replies (query_id, written_at);
