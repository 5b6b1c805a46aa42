-- One hash chain made every audited request in the deployment queue on one lock (measured:
-- the caseload page at 1-2% of a bare route's throughput). The log becomes 64 interleaved
-- chains: a transaction appends to the chain of its database connection, so concurrent
-- requests rarely wait for each other. Each chain is verified on its own; `seq` stays the
-- global order, now from a sequence (gaps are harmless: every row links to the previous row
-- of its own chain).
--
-- audit_append() appends in one round trip: lock the chain, read its last hash, insert.
-- hash = sha256(prev_hash || '\n' || seq || '\n' || body), where body is the event's
-- canonical JSON, made by the application (src/audit/audit-chain.ts) and checked again by
-- `npm run audit:verify` from the stored columns.
ALTER TABLE audit_events ADD COLUMN chain smallint NOT NULL DEFAULT 0 CHECK (chain BETWEEN 0 AND 63);
ALTER TABLE audit_events ALTER COLUMN chain DROP DEFAULT;
CREATE SEQUENCE audit_events_seq_seq OWNED BY audit_events.seq;
SELECT setval('audit_events_seq_seq', coalesce(max(seq), 0) + 1, false) FROM audit_events;
CREATE INDEX audit_events_chain_idx ON audit_events (chain, seq DESC);

CREATE FUNCTION audit_append(
  p_occurred_at timestamptz,
  p_actor_type text,
  p_actor_id uuid,
  p_action text,
  p_entity_type text,
  p_entity_id text,
  p_ip text,
  p_detail jsonb,
  p_body text
) RETURNS bigint AS $$
DECLARE
  v_chain smallint := pg_backend_pid() % 64;
  v_prev text;
  v_seq bigint;
BEGIN
  -- Held to the end of the caller's transaction, so the chain never forks. Each statement
  -- below takes a fresh snapshot (READ COMMITTED), so it sees the last committed append.
  PERFORM pg_advisory_xact_lock(7318002, v_chain);
  SELECT hash INTO v_prev FROM audit_events WHERE chain = v_chain ORDER BY seq DESC LIMIT 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_seq := nextval('audit_events_seq_seq');
  INSERT INTO audit_events (seq, chain, occurred_at, actor_type, actor_id, action, entity_type, entity_id, ip, detail, prev_hash, hash)
  VALUES (v_seq, v_chain, p_occurred_at, p_actor_type, p_actor_id, p_action, p_entity_type, p_entity_id, p_ip, p_detail, v_prev,
          encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || p_body, 'UTF8')), 'hex'));
  RETURN v_seq;
END;
$$ LANGUAGE plpgsql VOLATILE;
