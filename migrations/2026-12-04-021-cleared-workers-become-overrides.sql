-- Workers marked "cleared to take participants" before training was recorded here keep taking
-- participants for 90 days while their records are entered: an override, shown on their record
-- with this reason, that the coordinator can end at any time.
INSERT INTO allocation_overrides (id, trust_id, staff_id, reason, until_on, granted_by, granted_at)
SELECT gen_random_uuid(), trust_id, id,
       'Cleared to take participants before training records were kept in Greenleaf',
       (now() AT TIME ZONE 'Europe/London')::date + 90, NULL, now()
FROM staff_users
WHERE cleared_for_allocation AND disabled_at IS NULL AND 'peer_worker' = ANY (roles);
