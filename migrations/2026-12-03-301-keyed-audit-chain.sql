-- The audit chain becomes keyed. Unkeyed, anyone who could write to the database could change
-- an event and re-hash the rest of its chain, and `npm run audit:verify` saw nothing.
--
-- A keyed event's hash = sha256(prev_hash || '\n' || seq || '\n' || mac), where
-- mac = HMAC-SHA256(AUDIT_KEY, body) is computed by the application with a key it holds
-- outside the database (src/audit/audit-chain.ts). The database never sees the key, and the
-- MAC is stored nowhere: with the database alone nobody can make the MAC of a changed event,
-- nor re-link a chain around a deleted one. Still one round trip, one sha256 in SQL.
--
-- Events written before this migration keep their unkeyed hash (keyed = false). The verifier
-- accepts them only at the start of their chain and only up to the first checkpoint, so a
-- rewrite cannot pass itself off as an old event.
ALTER TABLE audit_events ADD COLUMN keyed boolean NOT NULL DEFAULT false;
-- No default from now on: a row put in by hand must say what it is.
ALTER TABLE audit_events ALTER COLUMN keyed DROP DEFAULT;

DROP FUNCTION audit_append(timestamptz, text, uuid, text, text, text, text, jsonb, text);

CREATE FUNCTION audit_append(
  p_occurred_at timestamptz,
  p_actor_type text,
  p_actor_id uuid,
  p_action text,
  p_entity_type text,
  p_entity_id text,
  p_ip text,
  p_detail jsonb,
  p_body_mac text
) RETURNS bigint AS $$
DECLARE
  v_chain smallint := pg_backend_pid() % 64;
  v_prev text;
  v_seq bigint;
BEGIN
  -- An application from before this migration would pass the body here: refuse it loudly
  -- rather than chain a row no key can verify.
  IF p_body_mac !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'audit_append needs the event''s HMAC (64 hex digits)';
  END IF;
  -- Held to the end of the caller's transaction, so the chain never forks. Each statement
  -- below takes a fresh snapshot (READ COMMITTED), so it sees the last committed append.
  PERFORM pg_advisory_xact_lock(7318002, v_chain);
  SELECT hash INTO v_prev FROM audit_events WHERE chain = v_chain ORDER BY seq DESC LIMIT 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_seq := nextval('audit_events_seq_seq');
  INSERT INTO audit_events (seq, chain, occurred_at, actor_type, actor_id, action, entity_type, entity_id, ip, detail, prev_hash, hash, keyed)
  VALUES (v_seq, v_chain, p_occurred_at, p_actor_type, p_actor_id, p_action, p_entity_type, p_entity_id, p_ip, p_detail, v_prev,
          encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || p_body_mac, 'UTF8')), 'hex'), true);
  RETURN v_seq;
END;
$$ LANGUAGE plpgsql VOLATILE;
