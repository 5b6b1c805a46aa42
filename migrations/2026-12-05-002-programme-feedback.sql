-- What participants thought of the programme, asked once their programme has ended, and
-- reported only in aggregate with small numbers withheld (src/feedback/).
--
-- Anonymous to their peer support worker by construction: a feedback row holds no participant
-- and no worker, only where and when (trust, crisis team, the month the programme ended) and
-- the answers. That the participant answered (or said no thanks) is a separate row, so the
-- service offers it once and a form sent twice makes one feedback row.
CREATE TABLE programme_feedback (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  crisis_team_id uuid NOT NULL REFERENCES crisis_teams (id),
  -- The first day of the month the programme ended: never the day, never when it was sent.
  ended_month date NOT NULL CHECK (extract(day FROM ended_month) = 1),
  -- Question key (src/feedback/feedback-questions.json) to the answer's value; a question left
  -- unanswered is absent.
  answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
  comment text CHECK (char_length(comment) BETWEEN 1 AND 1000)
);
CREATE INDEX programme_feedback_trust_month_idx ON programme_feedback (trust_id, ended_month);

-- One per participant whose programme ended and who was asked: they gave feedback or said no
-- thanks. The submission token makes a resubmitted form find the first answer.
CREATE TABLE programme_feedback_responses (
  participant_id uuid PRIMARY KEY REFERENCES programme_endings (participant_id),
  outcome text NOT NULL CHECK (outcome IN ('given', 'declined')),
  submission_token uuid NOT NULL UNIQUE
);
