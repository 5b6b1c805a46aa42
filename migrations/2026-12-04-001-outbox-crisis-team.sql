-- The crisis team a safety message is about (an escalation's concern, a lone worker's team), so
-- a message nobody received shows at the top of that team's duty inbox even when the team has
-- no duty email and the message went to someone outside the team (a supervisor, a coordinator).
ALTER TABLE message_outbox ADD COLUMN crisis_team_id uuid;
CREATE INDEX message_outbox_team_not_delivered_idx ON message_outbox (crisis_team_id, created_at DESC)
  WHERE state = 'not_delivered' AND safety;
