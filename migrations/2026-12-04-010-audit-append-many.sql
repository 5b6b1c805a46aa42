-- Read events are written in batches (src/audit/read-events.ts): every page read while one batch
-- was being written goes into the next, one statement for all of them. Each event is appended
-- exactly as audit_append() appends one (same chain, same lock, same hash), in the order given;
-- the statement is its own transaction, so a batch is in the log whole or not at all.
CREATE FUNCTION audit_append_many(p_events jsonb) RETURNS integer AS $$
DECLARE
  v_event jsonb;
  v_count integer := 0;
BEGIN
  FOR v_event IN
    SELECT e.value FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, position) ORDER BY e.position
  LOOP
    PERFORM audit_append(
      (v_event->>'occurredAt')::timestamptz, v_event->>'actorType', (v_event->>'actorId')::uuid,
      v_event->>'action', v_event->>'entityType', v_event->>'entityId', v_event->>'ip',
      v_event->'detail', v_event->>'bodyMac');
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END;
$$ LANGUAGE plpgsql VOLATILE;
