-- Indexes the staff lists need at national scale (50,000 participants, 500,000 sessions):
-- the waiting list asks each person's last allocation end (max(ended_at) by participant), which
-- otherwise reads every allocation for each person waiting; the duty inbox reads a team's open
-- items or those closed since a date; the concerns overview reads a trust's items raised in a
-- period.
CREATE INDEX allocations_participant_ended_idx ON allocations (participant_id, ended_at);
CREATE INDEX safety_concerns_team_closed_idx ON safety_concerns (crisis_team_id, closed_at);
CREATE INDEX safety_concerns_raised_at_idx ON safety_concerns (raised_at);
