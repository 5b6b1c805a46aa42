-- The trial's database lock (src/trial/trial-lock.service.ts): set once by a trial manager, after
-- which nothing of the trial's data changes. The application refuses every write (409); this
-- trigger makes the database refuse it too, whatever writes.
--
-- To put a trial table under the lock, one statement:
--   CREATE TRIGGER <table>_locked BEFORE INSERT OR UPDATE OR DELETE ON <table>
--     FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked(<how to reach the trial>);
-- with no argument when the table has its own trial_id column, or two when it reaches its trial
-- through a parent: the row's column holding the parent's id, and a query giving the trial's id
-- from that value as $1 (see trial_consents below).
--
-- Unlocking is not offered by the service. A trials unit reopens a locked database only by its
-- documented procedure (the chief investigator's and sponsor's written agreement, recorded in
-- the trial master file), run by the database administrator in one transaction that clears
-- trials.locked_at with the trial_lock_kept trigger disabled and writes an audit event
-- 'trial.unlocked' with the reason.
-- Who locked it (NULL while open).
ALTER TABLE trials ADD COLUMN locked_by uuid REFERENCES staff_users (id);

CREATE FUNCTION trial_refuse_when_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
  earlier jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
  trial uuid;
  locked timestamptz;
BEGIN
  FOR pass IN 1..2 LOOP
    IF pass = 2 THEN
      -- An update is checked for the trial its row had as well as the one it will have.
      EXIT WHEN earlier IS NULL;
      target := earlier;
    END IF;
    IF TG_NARGS = 0 THEN
      trial := (target->>'trial_id')::uuid;
    ELSE
      EXECUTE TG_ARGV[1] INTO trial USING (target->>TG_ARGV[0])::uuid;
    END IF;
    SELECT t.locked_at INTO locked FROM trials t WHERE t.id = trial;
    IF locked IS NOT NULL THEN
      RAISE EXCEPTION 'trial % is locked: its data cannot change', trial
        USING ERRCODE = 'GL423', TABLE = TG_TABLE_NAME;
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

-- Once set, the lock itself stays (and the trial row with it).
CREATE FUNCTION trial_lock_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.locked_at IS NOT NULL THEN
    RAISE EXCEPTION 'trial % is locked: its data cannot change', OLD.id
      USING ERRCODE = 'GL423', TABLE = TG_TABLE_NAME;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER trial_lock_kept BEFORE UPDATE OR DELETE ON trials
  FOR EACH ROW EXECUTE FUNCTION trial_lock_is_kept();

CREATE TRIGGER trial_sites_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_sites
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_screenings_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_screenings
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_consents_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_consents
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked(
    'screening_id', 'SELECT trial_id FROM trial_screenings WHERE id = $1');
CREATE TRIGGER trial_withdrawals_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_withdrawals
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked(
    'consent_id',
    'SELECT s.trial_id FROM trial_consents c JOIN trial_screenings s ON s.id = c.screening_id WHERE c.id = $1');
CREATE TRIGGER trial_allocation_slots_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_allocation_slots
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_randomisations_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_randomisations
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_saes_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_saes
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_data_queries_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_data_queries
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_data_query_replies_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_data_query_replies
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked(
    'query_id', 'SELECT trial_id FROM trial_data_queries WHERE id = $1');
CREATE TRIGGER trial_deviations_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_deviations
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
