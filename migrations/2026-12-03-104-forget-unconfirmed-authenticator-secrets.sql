-- Secrets written to accounts before anyone confirmed a code from them were shown to every
-- password-stage sign-in of the account: none of them can be trusted. Each such person is
-- offered a new secret of their own at their next sign-in.
UPDATE staff_users SET totp_secret = NULL WHERE totp_enrolled_at IS NULL;
