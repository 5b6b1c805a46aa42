/**
 * Demo safety concerns for the North crisis team's duty inbox: one urgent concern still open
 * past its deadline, one routine concern acknowledged, one closed with what was done, and an
 * advice request with a short thread.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { acknowledgeBy, DEFAULT_CONCERN_DEADLINES } from './deadlines.ts';
import { ConcernRepository, type NewConcern } from './concern.repository.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export async function seedDemoConcerns(
  tx: Db,
  allocated: readonly { participantId: string; workerId: string }[],
  people: { northTeamId: string; clinicianId: string; workerIds: readonly string[] },
  now: Date,
): Promise<void> {
  const participants = new ParticipantRepository();
  const concerns = new ConcernRepository();
  const north: { participantId: string; workerId: string }[] = [];
  for (const person of allocated) {
    if (!people.workerIds.includes(person.workerId)) continue;
    const participant = await participants.findWithAllocation(tx, person.participantId);
    if (participant?.crisisTeamId === people.northTeamId) north.push(person);
  }
  const [first, second, third, fourth] = north;
  if (!first || !second || !third || !fourth) return;

  const concern = (
    person: { participantId: string; workerId: string },
    fields: Partial<NewConcern> & Pick<NewConcern, 'urgency' | 'whatHappened' | 'raisedAt'>,
  ): NewConcern => ({
    id: randomUUID(),
    kind: 'concern',
    participantId: person.participantId,
    crisisTeamId: people.northTeamId,
    raisedBy: person.workerId,
    participantKnows: 'yes',
    safetyOverride: true,
    acknowledgeBy: acknowledgeBy(fields.urgency, fields.raisedAt, DEFAULT_CONCERN_DEADLINES),
    status: 'open',
    version: 1,
    submissionToken: randomUUID(),
    ...fields,
  });

  await concerns.insert(
    tx,
    concern(first, {
      urgency: 'urgent',
      raisedAt: new Date(now.getTime() - 3 * HOUR),
      whatHappened: 'Said they have not slept for three nights and are giving things away.',
    }),
  );
  const acknowledgedAt = new Date(now.getTime() - 20 * HOUR);
  await concerns.insert(
    tx,
    concern(second, {
      urgency: 'routine',
      raisedAt: new Date(now.getTime() - 24 * HOUR),
      whatHappened: 'Drinking more since the weekend; wants to talk about it at the next meeting.',
      participantKnows: 'not_yet',
      status: 'acknowledged',
      acknowledgedBy: people.clinicianId,
      acknowledgedAt,
      version: 2,
    }),
  );
  const closedRaisedAt = new Date(now.getTime() - 5 * 24 * HOUR);
  await concerns.insert(
    tx,
    concern(third, {
      urgency: 'urgent',
      raisedAt: closedRaisedAt,
      whatHappened: 'Mentioned stopping their medication suddenly.',
      status: 'closed',
      acknowledgedBy: people.clinicianId,
      acknowledgedAt: new Date(closedRaisedAt.getTime() + 30 * MINUTE),
      action: 'called_participant',
      actionNote: 'Spoke to them; GP appointment booked for Friday.',
      closedBy: people.clinicianId,
      closedAt: new Date(closedRaisedAt.getTime() + 2 * HOUR),
      version: 2,
    }),
  );
  const adviceRaisedAt = new Date(now.getTime() - 2 * HOUR);
  const advice = concern(fourth, {
    kind: 'advice',
    urgency: 'routine',
    raisedAt: adviceRaisedAt,
    whatHappened:
      'They asked me whether they should tell their employer about their time in hospital. How should I answer?',
    participantKnows: null,
    status: 'acknowledged',
    acknowledgedBy: people.clinicianId,
    acknowledgedAt: new Date(adviceRaisedAt.getTime() + 40 * MINUTE),
    version: 2,
  });
  await concerns.insert(tx, advice);
  await concerns.insertMessage(tx, {
    id: randomUUID(),
    concernId: advice.id,
    writtenBy: people.clinicianId,
    writtenAt: new Date(adviceRaisedAt.getTime() + 45 * MINUTE),
    body: 'Share your own experience if it helps, but it is their choice. Point them to the Access to Work and Mind guides.',
    submissionToken: randomUUID(),
  });
  await concerns.insertMessage(tx, {
    id: randomUUID(),
    concernId: advice.id,
    writtenBy: fourth.workerId,
    writtenAt: new Date(adviceRaisedAt.getTime() + 70 * MINUTE),
    body: 'Thank you, I will take the guides to our next meeting.',
    submissionToken: randomUUID(),
  });
}
