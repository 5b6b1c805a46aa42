-- The authenticator secret offered to one half-finished sign-in while it sets up an app. It
-- belongs to that attempt alone and is copied to the account only once a code from it is
-- confirmed, so no other sign-in attempt is ever shown it.
ALTER TABLE user_sessions ADD COLUMN pending_totp_secret text;
