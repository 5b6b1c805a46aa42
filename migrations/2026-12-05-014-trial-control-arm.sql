-- Trial mode: the intervention withheld from a trial participant (src/trial/intervention-gate.ts).
--
-- Set when a randomised person's record is linked and they are in the control group, or when a
-- linked person in the intervention group withdraws from it. While set, nobody is allocated to
-- them, no session is booked and no reminder is sent; the waiting list and caseloads never show
-- them. The control group's is also enforced here, below every service: an allocation or a
-- booked session for them is refused by the database itself.
ALTER TABLE participants
  ADD COLUMN intervention_withheld text CHECK (intervention_withheld IN ('trial_control', 'trial_withdrawn')),
  ADD COLUMN intervention_withheld_on date,
  ADD CONSTRAINT participants_withheld_dated CHECK ((intervention_withheld IS NULL) = (intervention_withheld_on IS NULL));

CREATE FUNCTION control_group_gets_no_intervention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM participants
    WHERE id = NEW.participant_id AND intervention_withheld = 'trial_control'
  ) THEN
    RAISE EXCEPTION 'participant % is in a trial''s control group: no % for them', NEW.participant_id, TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER allocations_not_for_control_group
  BEFORE INSERT ON allocations
  FOR EACH ROW EXECUTE FUNCTION control_group_gets_no_intervention();
CREATE TRIGGER sessions_not_for_control_group
  BEFORE INSERT ON programme_sessions
  FOR EACH ROW EXECUTE FUNCTION control_group_gets_no_intervention();

-- The control group's workbook, posted to them: when, which version, by whom. Posted again
-- (lost in the post, moved house) is another row.
CREATE TABLE trial_workbook_postings (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  posted_on date NOT NULL,
  workbook_version text NOT NULL CHECK (char_length(workbook_version) BETWEEN 1 AND 40),
  posted_by uuid NOT NULL REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE
);
CREATE INDEX trial_workbook_postings_randomisation_idx ON trial_workbook_postings (randomisation_id);
