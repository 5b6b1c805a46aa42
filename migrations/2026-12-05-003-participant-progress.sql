-- What has happened to each participant so far, in one row (issue 16, part A): sessions
-- attended, the first of them, the plan sections worked on at them, the first allocation and
-- the safety concerns raised. The service reports read a period's people from here instead of
-- grouping every session, allocation and concern of the period at each request.
--
-- Kept by triggers in the transaction of every change to the rows it comes from, and each
-- refresh works the participant's row out again from those rows (never by adding and
-- subtracting), so it cannot drift from them. A bulk load that turns triggers off
-- (session_replication_role = replica, as the bench's national data does) calls
-- refresh_participant_progress itself afterwards.
CREATE TABLE participant_progress (
  participant_id uuid PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
  attended integer NOT NULL,
  first_attended_at timestamptz,
  -- The distinct plan section keys of the sessions attended, in key order.
  sections text[] NOT NULL,
  first_allocated_at timestamptz,
  concerns integer NOT NULL
);

CREATE FUNCTION refresh_participant_progress(p_ids uuid[]) RETURNS void AS $$
  INSERT INTO participant_progress AS pp
         (participant_id, attended, first_attended_at, sections, first_allocated_at, concerns)
  SELECT p.id,
         (SELECT count(*) FROM programme_sessions s WHERE s.participant_id = p.id AND s.status = 'attended'),
         (SELECT min(s.planned_at) FROM programme_sessions s WHERE s.participant_id = p.id AND s.status = 'attended'),
         ARRAY(SELECT DISTINCT x FROM programme_sessions s CROSS JOIN LATERAL unnest(s.sections) x
                WHERE s.participant_id = p.id AND s.status = 'attended' ORDER BY x),
         (SELECT min(a.allocated_at) FROM allocations a WHERE a.participant_id = p.id),
         (SELECT count(*) FROM safety_concerns c WHERE c.participant_id = p.id AND c.kind = 'concern')
    FROM participants p
   WHERE p.id = ANY(p_ids)
  ON CONFLICT (participant_id) DO UPDATE
     SET attended = excluded.attended, first_attended_at = excluded.first_attended_at,
         sections = excluded.sections, first_allocated_at = excluded.first_allocated_at,
         concerns = excluded.concerns;
$$ LANGUAGE sql VOLATILE;

-- Rows naming a participant in participant_id: sessions, allocations, safety concerns.
CREATE FUNCTION participant_progress_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM refresh_participant_progress(ARRAY[OLD.participant_id]);
  ELSIF TG_OP = 'UPDATE' AND NEW.participant_id IS DISTINCT FROM OLD.participant_id THEN
    PERFORM refresh_participant_progress(ARRAY[OLD.participant_id, NEW.participant_id]);
  ELSE
    PERFORM refresh_participant_progress(ARRAY[NEW.participant_id]);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER participant_progress_sessions
  AFTER INSERT OR DELETE OR UPDATE OF participant_id, status, planned_at, sections ON programme_sessions
  FOR EACH ROW EXECUTE FUNCTION participant_progress_changed();
CREATE TRIGGER participant_progress_allocations
  AFTER INSERT OR DELETE OR UPDATE OF participant_id, allocated_at ON allocations
  FOR EACH ROW EXECUTE FUNCTION participant_progress_changed();
CREATE TRIGGER participant_progress_concerns
  AFTER INSERT OR DELETE OR UPDATE OF participant_id, kind ON safety_concerns
  FOR EACH ROW EXECUTE FUNCTION participant_progress_changed();

-- Everyone already here.
SELECT refresh_participant_progress(ARRAY(SELECT id FROM participants));
