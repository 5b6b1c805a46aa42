-- When each person last opened a concern: a message written by someone else after that is new
-- to them ("New reply" in My concerns, the caseload's prompt, "New" in the thread).
CREATE TABLE safety_concern_reads (
  concern_id uuid NOT NULL REFERENCES safety_concerns (id),
  reader_id uuid NOT NULL REFERENCES staff_users (id),
  read_at timestamptz NOT NULL,
  PRIMARY KEY (concern_id, reader_id)
);
