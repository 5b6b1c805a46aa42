-- A password a coordinator chose for someone else (a new account's temporary password) is
-- temporary: it works only until this time, and only to choose the person's own password at
-- their first sign-in. NULL means the password is the person's own (or there is none).
ALTER TABLE staff_users ADD COLUMN temporary_password_expires_at timestamptz;
