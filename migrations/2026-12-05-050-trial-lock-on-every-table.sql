-- The database lock (migration 2026-12-05-042) over the trial tables added beside it: each arm's
-- care, follow-ups, invitations, unblindings, acute-care episodes and DMC reports. After the lock
-- none of them changes, whatever writes.
CREATE TRIGGER trial_workbook_postings_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_workbook_postings
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_follow_ups_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_follow_ups
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_questionnaire_responses_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_questionnaire_responses
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked(
    'follow_up_id', 'SELECT trial_id FROM trial_follow_ups WHERE id = $1');
CREATE TRIGGER trial_follow_up_invitations_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_follow_up_invitations
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_unblindings_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_unblindings
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_acute_episodes_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_acute_episodes
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
CREATE TRIGGER trial_dmc_reports_locked BEFORE INSERT OR UPDATE OR DELETE ON trial_dmc_reports
  FOR EACH ROW EXECUTE FUNCTION trial_refuse_when_locked();
