-- A removed drawing, photo or voice note is deleted for good once the plan's history period has
-- passed (PLAN_REMOVED_MEDIA_DAYS, 30 days by default): its bytes go, and the row stays to say
-- what it was, how big, and when it was deleted, so the entry's history can say the file is gone.
ALTER TABLE plan_media ADD COLUMN deleted_at timestamptz;
ALTER TABLE plan_media ALTER COLUMN bytes DROP NOT NULL;
ALTER TABLE plan_media ADD CONSTRAINT plan_media_bytes_until_deleted CHECK ((deleted_at IS NULL) = (bytes IS NOT NULL));
