-- A sign-in code belongs to the mobile number or email it was sent to (filed under a SHA-256
-- digest of it), and who it signs in is decided when it is used: a contact two participants
-- share signs in neither. participant_id is kept, when one person had the contact as the code
-- was made, so a code never signs in someone other than the person it was made for.
-- Codes made before this change have no digest and stop working (they last 10 minutes).
ALTER TABLE participant_sign_in_codes ADD COLUMN contact_hash text;
ALTER TABLE participant_sign_in_codes ALTER COLUMN participant_id DROP NOT NULL;
CREATE INDEX participant_sign_in_codes_contact_idx ON participant_sign_in_codes (contact_hash, created_at);
