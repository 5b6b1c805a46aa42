-- Each peer support worker's named supervisor (issue 15, part 3). Concerns, escalations,
-- lone-working alerts and training reminders about the worker go to them; while none is named
-- (or they have left or lost the role), to the supervisors of the worker's crisis team.
ALTER TABLE staff_users ADD COLUMN supervisor_id uuid REFERENCES staff_users (id);
ALTER TABLE staff_users ADD CONSTRAINT staff_users_not_own_supervisor CHECK (supervisor_id IS NULL OR supervisor_id <> id);
CREATE INDEX staff_users_supervisor_idx ON staff_users (supervisor_id) WHERE supervisor_id IS NOT NULL;
