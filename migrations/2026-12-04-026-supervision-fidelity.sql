-- Fidelity to the programme's values (issue 15, part 6), rated together by a worker and their
-- supervisor at a 1:1: one score per item (item keys and the scale from src/workforce/fidelity.json).
CREATE TABLE supervision_fidelity (
  session_id uuid NOT NULL REFERENCES supervision_sessions (id),
  item_key text NOT NULL CHECK (item_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  score integer NOT NULL CHECK (score BETWEEN 0 AND 10),
  PRIMARY KEY (session_id, item_key)
);
