-- One-time links emailed to a staff member to choose a new password, sent when a coordinator
-- resets their authenticator app or they have forgotten their password. Only the SHA-256 of
-- the link's random token is kept; a link works once, until it expires or a newer one
-- replaces it (revoked_at).
CREATE TABLE staff_set_up_links (
  id uuid PRIMARY KEY,
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  token_hash text NOT NULL UNIQUE,
  created_by uuid NOT NULL REFERENCES staff_users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX staff_set_up_links_open_idx ON staff_set_up_links (staff_id)
  WHERE used_at IS NULL AND revoked_at IS NULL;
