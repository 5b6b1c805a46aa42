-- An account holds an authenticator secret exactly when one has been set up (a code from it
-- confirmed), never a secret still being offered.
ALTER TABLE staff_users ADD CONSTRAINT staff_users_totp_confirmed
  CHECK ((totp_secret IS NULL) = (totp_enrolled_at IS NULL));
