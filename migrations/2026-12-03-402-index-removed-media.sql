-- The nightly deletion looks for media entries removed before a date: only those, by when.
CREATE INDEX plan_entries_removed_media_idx ON plan_entries (updated_at) WHERE kind = 'media' AND removed;
