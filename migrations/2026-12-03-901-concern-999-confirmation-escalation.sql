-- Immediate danger is saved the moment it is sent, before the worker confirms they have called
-- 999. When that confirmation has not come a few minutes later, the duty contact and the
-- worker's supervisors are told once: this column is that claim (set by whoever sends it).
ALTER TABLE safety_concerns ADD COLUMN call_999_escalated_at timestamptz;
CREATE INDEX safety_concerns_unconfirmed_999_idx ON safety_concerns (raised_at)
  WHERE urgency = 'immediate' AND called_999_at IS NULL AND call_999_escalated_at IS NULL;
