-- Randomisation (PRODUCT.md section 7): stratified by crisis team, permuted blocks of random size
-- (src/trial/randomisation.ts). Each stratum's sequence is made from a cryptographic random
-- source before anyone in it is randomised, and added to in whole blocks when it runs out. It is
-- read only inside the transaction that randomises someone (src/trial/randomisation.service.ts),
-- never by a page, an export or a report, so nobody can know the next allocation.
CREATE TABLE trial_allocation_slots (
  trial_id uuid NOT NULL REFERENCES trials (id),
  crisis_team_id uuid NOT NULL REFERENCES crisis_teams (id),
  position integer NOT NULL CHECK (position >= 1),
  arm text NOT NULL CHECK (arm IN ('intervention', 'control')),
  made_at timestamptz NOT NULL,
  PRIMARY KEY (trial_id, crisis_team_id, position)
);

-- Each randomisation: the consent it follows, the study id the research team uses from now on,
-- its stratum's slot and the arm that slot held. One per consent; one per slot.
CREATE TABLE trial_randomisations (
  id uuid PRIMARY KEY,
  trial_id uuid NOT NULL REFERENCES trials (id),
  consent_id uuid NOT NULL UNIQUE REFERENCES trial_consents (id),
  study_number integer NOT NULL CHECK (study_number >= 1),
  study_id text NOT NULL UNIQUE,
  crisis_team_id uuid NOT NULL,
  position integer NOT NULL,
  arm text NOT NULL CHECK (arm IN ('intervention', 'control')),
  randomised_by uuid NOT NULL REFERENCES staff_users (id),
  randomised_at timestamptz NOT NULL,
  submission_token uuid NOT NULL UNIQUE,
  UNIQUE (trial_id, study_number),
  UNIQUE (trial_id, crisis_team_id, position),
  FOREIGN KEY (trial_id, crisis_team_id, position) REFERENCES trial_allocation_slots (trial_id, crisis_team_id, position)
);
