-- The Personal Recovery Plan (PRODUCT.md section 3): the participant's own workbook. A plan is
-- started on one template version and always shown with it. Each entry (one answer, list item,
-- goal, supporter, service, drawing, photo or voice note) keeps every revision; a save names the
-- revision it was based on, so two people editing one entry get a conflict, never an overwrite,
-- and carries a client-chosen id, so a draft sent twice (offline, retried) is saved once.
CREATE TABLE recovery_plans (
  participant_id uuid PRIMARY KEY REFERENCES participants (id),
  template_version integer NOT NULL CHECK (template_version >= 1),
  started_at timestamptz NOT NULL
);

-- Per section, who besides the participant may see it; only the participant changes it.
CREATE TABLE plan_section_sharing (
  participant_id uuid NOT NULL REFERENCES recovery_plans (participant_id),
  section_key text NOT NULL CHECK (section_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  visibility text NOT NULL CHECK (visibility IN ('private', 'worker', 'care_team')),
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (participant_id, section_key)
);

-- Drawings, photos and voice notes: re-encoded (images) and checked by content before they get
-- here, stored under server-chosen ids, served only to those who may see their section.
CREATE TABLE plan_media (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES recovery_plans (participant_id),
  kind text NOT NULL CHECK (kind IN ('drawing', 'photo', 'voice')),
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'audio/webm', 'audio/ogg', 'audio/mp4')),
  bytes bytea NOT NULL,
  byte_size integer NOT NULL CHECK (byte_size > 0 AND byte_size <= 10485760),
  width integer CHECK (width > 0),
  height integer CHECK (height > 0),
  created_by_kind text NOT NULL CHECK (created_by_kind IN ('participant', 'worker')),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK ((kind = 'voice') = (width IS NULL))
);
CREATE INDEX plan_media_participant_idx ON plan_media (participant_id);

CREATE TABLE plan_entries (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES recovery_plans (participant_id),
  section_key text NOT NULL CHECK (section_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  field_key text NOT NULL CHECK (field_key ~ '^[a-z][a-z0-9_]{0,39}$'),
  kind text NOT NULL CHECK (kind IN ('text', 'list_item', 'goal', 'supporter', 'service', 'media')),
  content jsonb NOT NULL,
  media_id uuid REFERENCES plan_media (id),
  removed boolean NOT NULL DEFAULT false,
  revision integer NOT NULL CHECK (revision >= 1),
  -- Who wrote the current revision: the participant, or their worker on their behalf.
  written_by_kind text NOT NULL CHECK (written_by_kind IN ('participant', 'worker')),
  written_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((kind = 'media') = (media_id IS NOT NULL))
);
CREATE INDEX plan_entries_plan_idx ON plan_entries (participant_id, section_key, created_at);
-- A free-text answer is one entry per field, whoever writes it first.
CREATE UNIQUE INDEX plan_entries_one_text_idx ON plan_entries (participant_id, section_key, field_key) WHERE kind = 'text';
CREATE INDEX plan_entries_media_idx ON plan_entries (media_id) WHERE media_id IS NOT NULL;

CREATE TABLE plan_entry_revisions (
  entry_id uuid NOT NULL REFERENCES plan_entries (id),
  revision integer NOT NULL CHECK (revision >= 1),
  content jsonb NOT NULL,
  removed boolean NOT NULL,
  change text NOT NULL CHECK (change IN ('written', 'removed', 'restored')),
  written_by_kind text NOT NULL CHECK (written_by_kind IN ('participant', 'worker')),
  written_by uuid NOT NULL,
  written_at timestamptz NOT NULL,
  -- Chosen by the page (or the browser, for an offline draft): the same save twice is one save.
  save_id uuid NOT NULL UNIQUE,
  PRIMARY KEY (entry_id, revision)
);
