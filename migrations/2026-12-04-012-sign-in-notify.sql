-- Sessions are kept in each instance's memory between requests (src/identity/sign-in-session-
-- cache.ts), so anything that changes what a kept session stands for says so on the channel
-- `sign_in_changed`, in the transaction that changes it: every instance LISTENs and forgets the
-- session, or the person's sessions, as soon as the change commits. Triggers, not application
-- code, so no path (a job, a script, another instance) can change access without saying so.
--   session:<id_hash>      a session ended (signed out, ended by a password change, expired early)
--   staff:<id>             a staff member's roles, team, trust, name, account or caseload changed
--   participant:<id>       a participant's trust, team or names changed, or their record went
CREATE FUNCTION sign_in_changed() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'user_sessions' THEN
    PERFORM pg_notify('sign_in_changed', 'session:' || OLD.id_hash);
  ELSIF TG_TABLE_NAME = 'staff_users' THEN
    PERFORM pg_notify('sign_in_changed', 'staff:' || OLD.id);
  ELSE
    PERFORM pg_notify('sign_in_changed', 'participant:' || OLD.id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sign_in_changed_update AFTER UPDATE ON user_sessions
  FOR EACH ROW
  WHEN ((NEW.ended_at, NEW.absolute_expires_at, NEW.stage, NEW.subject_id)
        IS DISTINCT FROM (OLD.ended_at, OLD.absolute_expires_at, OLD.stage, OLD.subject_id))
  EXECUTE FUNCTION sign_in_changed();
CREATE TRIGGER sign_in_changed_delete AFTER DELETE ON user_sessions
  FOR EACH ROW WHEN (OLD.ended_at IS NULL) EXECUTE FUNCTION sign_in_changed();

-- caseload_version is here: the session carries it, and a caseload is kept only at one value.
CREATE TRIGGER sign_in_changed_update AFTER UPDATE ON staff_users
  FOR EACH ROW
  WHEN ((NEW.roles, NEW.disabled_at, NEW.trust_id, NEW.crisis_team_id, NEW.full_name, NEW.caseload_version)
        IS DISTINCT FROM (OLD.roles, OLD.disabled_at, OLD.trust_id, OLD.crisis_team_id, OLD.full_name, OLD.caseload_version))
  EXECUTE FUNCTION sign_in_changed();
CREATE TRIGGER sign_in_changed_delete AFTER DELETE ON staff_users
  FOR EACH ROW EXECUTE FUNCTION sign_in_changed();

CREATE TRIGGER sign_in_changed_update AFTER UPDATE ON participants
  FOR EACH ROW
  WHEN ((NEW.trust_id, NEW.crisis_team_id, NEW.given_name, NEW.preferred_name)
        IS DISTINCT FROM (OLD.trust_id, OLD.crisis_team_id, OLD.given_name, OLD.preferred_name))
  EXECUTE FUNCTION sign_in_changed();
CREATE TRIGGER sign_in_changed_delete AFTER DELETE ON participants
  FOR EACH ROW EXECUTE FUNCTION sign_in_changed();
