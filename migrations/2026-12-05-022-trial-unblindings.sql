-- Accidental unblindings (src/trial/unblinding.service.ts): an outcome assessor or analyst who
-- learned a participant's arm records it, how and when. From then on that assessor does none of
-- that person's follow-ups. Kept for good: a trigger refuses UPDATE and DELETE.
CREATE TABLE trial_unblindings (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  -- Who learned the arm (the person recording it).
  staff_id uuid NOT NULL REFERENCES staff_users (id),
  learned_on date NOT NULL,
  how text NOT NULL CHECK (char_length(how) BETWEEN 1 AND 500),
  recorded_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX trial_unblindings_trial_idx ON trial_unblindings (trial_id, recorded_at DESC);
CREATE INDEX trial_unblindings_staff_idx ON trial_unblindings (staff_id, randomisation_id);

CREATE FUNCTION trial_unblindings_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'trial_unblindings are kept for good';
END;
$$;
CREATE TRIGGER trial_unblindings_kept BEFORE UPDATE OR DELETE ON trial_unblindings
  FOR EACH ROW EXECUTE FUNCTION trial_unblindings_kept();
