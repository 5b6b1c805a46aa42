-- Training and checks (or an override) now decide who may take participants.
ALTER TABLE staff_users DROP COLUMN cleared_for_allocation;
