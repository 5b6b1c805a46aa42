-- Trial follow-ups (PRODUCT.md section 7; src/trial/follow-up.service.ts): at each time point of
-- src/trial/follow-up-schedule.json, one outcome per randomised person: done (questionnaires
-- answered, with the outcome assessor's guess of the arm when they entered them) or not done with
-- a reason. A form sent twice saves once (its submission token); a time point is recorded once.
CREATE TABLE trial_follow_ups (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  randomisation_id uuid NOT NULL REFERENCES trial_randomisations (id),
  time_point text NOT NULL CHECK (time_point ~ '^[a-z][a-z0-9_]{0,39}$'),
  outcome text NOT NULL CHECK (outcome IN ('done', 'not_done')),
  not_done_reason text CHECK (not_done_reason IN ('could_not_contact', 'declined', 'too_unwell', 'moved_away', 'died', 'other')),
  -- The participant online (by invitation, no member of staff), or the outcome assessor.
  completed_by text NOT NULL CHECK (completed_by IN ('assessor', 'participant')),
  recorded_by uuid REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  -- The assessor's guess of the arm, asked at each follow-up they enter, to measure blinding.
  arm_guess text CHECK (arm_guess IN ('intervention', 'control', 'dont_know')),
  guess_certainty text CHECK (guess_certainty IN ('certain', 'fairly_sure', 'not_sure')),
  submission_token uuid NOT NULL UNIQUE,
  UNIQUE (randomisation_id, time_point),
  CHECK ((outcome = 'not_done') = (not_done_reason IS NOT NULL)),
  CHECK ((completed_by = 'assessor') = (recorded_by IS NOT NULL)),
  CHECK ((guess_certainty IS NULL) OR (arm_guess IN ('intervention', 'control')))
);
CREATE INDEX trial_follow_ups_trial_idx ON trial_follow_ups (trial_id);

-- Each questionnaire answered at a follow-up, as a FHIR QuestionnaireResponse, with the score its
-- instrument declares (NULL when too many items were left out to score).
CREATE TABLE trial_questionnaire_responses (
  id uuid PRIMARY KEY,
  follow_up_id uuid NOT NULL REFERENCES trial_follow_ups (id),
  questionnaire text NOT NULL CHECK (char_length(questionnaire) BETWEEN 1 AND 300),
  response jsonb NOT NULL,
  score numeric,
  items_missing integer NOT NULL CHECK (items_missing >= 0),
  UNIQUE (follow_up_id, questionnaire)
);
