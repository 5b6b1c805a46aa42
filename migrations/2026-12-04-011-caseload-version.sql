-- A counter per worker that changes, in the same transaction, with anything their caseload
-- shows: the sign-in session lookup reads it with the worker, and a caseload computed at one
-- value is shown again only while the value is the same (src/caseload/caseload-cache.ts).
-- Triggers, not application code, so no change made anywhere (a job, a script, another
-- instance) can leave a caseload stale. Row triggers: a change is one row or a few; a bulk
-- load (the bench's national data) runs with session_replication_role = replica instead.
ALTER TABLE staff_users ADD COLUMN caseload_version bigint NOT NULL DEFAULT 0;

-- The worker currently holding a participant (and, for allocations, the workers on either side).
CREATE FUNCTION bump_caseload_of_participant(p_participant uuid) RETURNS void AS $$
  UPDATE staff_users SET caseload_version = caseload_version + 1
   WHERE id IN (SELECT peer_worker_id FROM allocations WHERE participant_id = p_participant AND ended_at IS NULL);
$$ LANGUAGE sql VOLATILE;

-- Rows naming a participant in participant_id (PL/pgSQL resolves the column per table).
CREATE FUNCTION caseload_changed_by_participant_row() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM bump_caseload_of_participant(OLD.participant_id);
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.participant_id IS DISTINCT FROM OLD.participant_id) THEN
    PERFORM bump_caseload_of_participant(NEW.participant_id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A participant's own row (their name, discharge date).
CREATE FUNCTION caseload_changed_by_participant() RETURNS trigger AS $$
BEGIN
  PERFORM bump_caseload_of_participant(NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Rows about a safety concern (its messages, who has read them): the concern's participant.
CREATE FUNCTION caseload_changed_by_concern_row() RETURNS trigger AS $$
DECLARE
  v_concern uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.concern_id ELSE NEW.concern_id END;
BEGIN
  PERFORM bump_caseload_of_participant(participant_id) FROM safety_concerns WHERE id = v_concern;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION caseload_changed_by_allocation() RETURNS trigger AS $$
BEGIN
  UPDATE staff_users SET caseload_version = caseload_version + 1
   WHERE id IN (
     SELECT (CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.peer_worker_id END)
     UNION SELECT (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.peer_worker_id END));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The worker's own row: their name, limit and time away are on the page.
CREATE FUNCTION caseload_changed_by_worker() RETURNS trigger AS $$
BEGIN
  IF (NEW.full_name, NEW.caseload_limit, NEW.away_from, NEW.away_until, NEW.disabled_at)
     IS DISTINCT FROM (OLD.full_name, OLD.caseload_limit, OLD.away_from, OLD.away_until, OLD.disabled_at) THEN
    NEW.caseload_version := OLD.caseload_version + 1;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON programme_sessions
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_participant_row();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON contact_attempts
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_participant_row();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON session_change_requests
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_participant_row();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON safety_concerns
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_participant_row();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON programme_endings
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_participant_row();
CREATE TRIGGER caseload_version AFTER UPDATE ON participants
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_participant();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON safety_concern_messages
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_concern_row();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON safety_concern_reads
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_concern_row();
CREATE TRIGGER caseload_version AFTER INSERT OR UPDATE OR DELETE ON allocations
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_allocation();
CREATE TRIGGER caseload_version BEFORE UPDATE ON staff_users
  FOR EACH ROW EXECUTE FUNCTION caseload_changed_by_worker();
