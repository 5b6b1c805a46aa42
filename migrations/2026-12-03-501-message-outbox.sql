-- The message outbox: every SMS and email Greenleaf decides to send is inserted here in the
-- same transaction as the decision (a reminder falling due, an escalation step, a lone working
-- alert), so a crash can never keep the decision and lose the message. A dispatcher claims one
-- message at a time with a lease, hands it to the provider with the message's id as the
-- provider's idempotency reference, and records the outcome. A message whose lease ran out
-- while 'sending' is first looked up by that reference and resent only if it never went.
CREATE TABLE message_outbox (
  id uuid PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient text NOT NULL,
  template text NOT NULL,
  -- Cleared once sent: a sign-in code or a calendar link is not kept longer than needed.
  personalisation jsonb NOT NULL,
  preview text,
  -- Safety messages (escalations, lone working alerts) that cannot be sent are told to the
  -- team's duty contact as well as shown to the coordinator.
  safety boolean NOT NULL DEFAULT false,
  duty_contact text,
  trust_id uuid,
  -- What decided to send it. Deciding twice enqueues once.
  source_kind text NOT NULL,
  source_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'not_delivered', 'expired')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  -- Past this, the message is no use (a reminder for a session that has started).
  expires_at timestamptz,
  provider_reference text,
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  UNIQUE (source_kind, source_id, recipient)
);
CREATE INDEX message_outbox_due_idx ON message_outbox (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX message_outbox_not_delivered_idx ON message_outbox (trust_id, created_at DESC) WHERE state = 'not_delivered';
