-- Who the participant's care goes to after discharge, as the referrer knows it: their GP
-- practice and their care coordinator, each a name and a secure NHS email address. The
-- end-of-programme summary is sent to them (with the participant's consent), so the share form
-- starts from these. All optional: a referrer may not know them.
ALTER TABLE participants ADD COLUMN gp_practice_name text;
ALTER TABLE participants ADD COLUMN gp_practice_email text;
ALTER TABLE participants ADD COLUMN care_coordinator_name text;
ALTER TABLE participants ADD COLUMN care_coordinator_email text;
