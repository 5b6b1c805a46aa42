-- NHS trusts and their crisis resolution teams (sites).
CREATE TABLE trusts (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  ods_code text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crisis_teams (
  id uuid PRIMARY KEY,
  trust_id uuid NOT NULL REFERENCES trusts (id),
  name text NOT NULL,
  phone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (trust_id, name)
);
