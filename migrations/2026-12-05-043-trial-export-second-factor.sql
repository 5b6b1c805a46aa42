-- The analyst's exports (src/trial/export.service.ts) ask for a fresh code from the person's
-- authenticator app first: when this sign-in session last gave one. A download is allowed for a
-- few minutes after it, on this session only; signing out or in again starts afresh.
CREATE TABLE trial_export_verifications (
  session_id_hash text PRIMARY KEY REFERENCES user_sessions (id_hash) ON DELETE CASCADE,
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  verified_at timestamptz NOT NULL
);
