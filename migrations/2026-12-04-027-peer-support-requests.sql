-- Support from an experienced peer worker (issue 15, part 4). A coordinator marks workers as
-- experienced; any worker can ask for support (a topic, today or this week); the request goes to
-- the trust's experienced workers, one takes it, they talk in a thread, and it is closed. One
-- not taken in time is surfaced to the asker's supervisors, once. Private to the pair and the
-- asker's supervisors.
ALTER TABLE staff_users ADD COLUMN experienced_peer boolean NOT NULL DEFAULT false;

CREATE TABLE peer_support_requests (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  requester_id uuid NOT NULL REFERENCES staff_users (id),
  topic text NOT NULL CHECK (topic ~ '^[a-z_]{1,40}$'),
  topic_text text CHECK (length(topic_text) <= 200),
  needed_by text NOT NULL CHECK (needed_by IN ('today', 'this_week')),
  raised_at timestamptz NOT NULL,
  taken_by uuid REFERENCES staff_users (id),
  taken_at timestamptz,
  closed_at timestamptz,
  closed_by uuid REFERENCES staff_users (id),
  surfaced_at timestamptz,
  submission_token uuid NOT NULL UNIQUE,
  version integer NOT NULL DEFAULT 1,
  CHECK ((taken_by IS NULL) = (taken_at IS NULL)),
  CHECK (taken_by IS NULL OR taken_by <> requester_id)
);
CREATE INDEX peer_support_requests_open_idx ON peer_support_requests (trust_id, raised_at) WHERE closed_at IS NULL;
CREATE INDEX peer_support_requests_requester_idx ON peer_support_requests (requester_id, raised_at DESC);

CREATE TABLE peer_support_messages (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES peer_support_requests (id),
  author_id uuid NOT NULL REFERENCES staff_users (id),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  sent_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX peer_support_messages_request_idx ON peer_support_messages (request_id, sent_at);
