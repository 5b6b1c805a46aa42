-- Equality monitoring (issue 16, part A): optional answers about a participant, asked at referral
-- and changeable by the participant on their own page, used to check the programme reaches
-- everyone fairly. Every question may be left unanswered (NULL) or answered "prefer not to say".
-- Reports use them only in aggregate, with small cells suppressed. The codes are those of
-- src/equality/equality-fields.ts (NHS data dictionary where one exists).
CREATE TABLE equality_monitoring (
  participant_id uuid PRIMARY KEY REFERENCES participants (id),
  trust_id uuid NOT NULL REFERENCES trusts (id),
  -- NHS data dictionary ETHNIC CATEGORY: A–S, or Z (not stated: prefer not to say).
  ethnicity text CHECK (ethnicity IN ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S','Z')),
  -- NHS data dictionary GENDER IDENTITY CODE: 1 male, 2 female, 3 non-binary, 4 other, Z not stated.
  gender text CHECK (gender IN ('1','2','3','4','Z')),
  first_language text CHECK (first_language IN ('english','other','prefer_not_to_say')),
  -- Which language, when it is not English (for the worker to arrange an interpreter).
  first_language_name text CHECK (length(first_language_name) <= 60),
  interpreter_needed text CHECK (interpreter_needed IN ('yes','no','prefer_not_to_say')),
  disability text CHECK (disability IN ('yes','no','prefer_not_to_say')),
  -- The member of staff who recorded the answers last, or NULL when the participant did.
  recorded_by uuid REFERENCES staff_users (id),
  recorded_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK (first_language_name IS NULL OR first_language = 'other')
);
CREATE INDEX equality_monitoring_trust_idx ON equality_monitoring (trust_id);
