-- A worker away (leave, sickness, leaving): their participants wait for a new worker, with
-- a target time to be reallocated (PRODUCT.md section 4; 5 working days by default).
ALTER TABLE staff_users
  ADD COLUMN away_from date,
  ADD COLUMN away_until date,
  ADD CHECK (away_until IS NULL OR away_from IS NOT NULL),
  ADD CHECK (away_until IS NULL OR away_until >= away_from);

-- Set on the current allocation when its participant needs a new worker; reallocating ends
-- the allocation, so an open request is one on a current allocation.
ALTER TABLE allocations
  ADD COLUMN reallocation_requested_at timestamptz,
  ADD COLUMN reallocation_reason text;
CREATE INDEX allocations_reallocation_idx ON allocations (reallocation_requested_at)
  WHERE ended_at IS NULL AND reallocation_requested_at IS NOT NULL;
