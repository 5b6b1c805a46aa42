-- Trial mode, second part (PRODUCT.md section 7).
--
-- The unblinded statistician: the one role that sees outcomes by arm, after the database lock or
-- for a data monitoring committee report. The roles' check is rebuilt with it.
DO $$
DECLARE
  name text;
BEGIN
  FOR name IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'staff_users'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%analyst%'
  LOOP
    EXECUTE format('ALTER TABLE staff_users DROP CONSTRAINT %I', name);
  END LOOP;
END;
$$;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_known_roles CHECK (
  roles <@ ARRAY['peer_worker', 'supervisor', 'clinician', 'coordinator', 'trial_manager', 'outcome_assessor', 'analyst', 'statistician']::text[]
);

-- A randomised person's participant record, once linked (src/trial/trial-participants.ts): the
-- intervention arm's is referred into the programme, the control arm's holds their contact
-- details for follow-up and is never offered the intervention. One record per randomisation.
ALTER TABLE trial_randomisations ADD COLUMN participant_id uuid UNIQUE REFERENCES participants (id);
