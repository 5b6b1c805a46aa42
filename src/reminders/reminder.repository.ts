/**
 * session_reminders: one row per message about a session, the source of truth for what goes
 * when. A due row is claimed (status 'sending') in the transaction that puts its message in
 * the message outbox, and stays 'sending' until the outbox reports what became of it. Times
 * come from the application's clock, never the database's now().
 */
import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  participants,
  programmeEndings,
  programmeSessions,
  sessionReminders,
  staffUsers,
} from '../platform/database/schema.ts';

export type ReminderRow = typeof sessionReminders.$inferSelect;

/**
 * The messages of these sessions not sent yet will never be: the update, not yet run, so a
 * session's record can make it part of its one statement (`sessionIds`: ids, or a subquery).
 */
export function cancelScheduledReminders(db: Db, sessionIds: string[] | SQL, reason: string, at: Date) {
  return db
    .update(sessionReminders)
    .set({ status: 'cancelled', statusReason: reason, cancelledAt: at })
    .where(and(inArray(sessionReminders.sessionId, sessionIds), eq(sessionReminders.status, 'scheduled')));
}
export type NewReminder = typeof sessionReminders.$inferInsert;
export type ReminderStatus = ReminderRow['status'];

/** What the participant chose: how, and between which UK hours. */
export interface ReminderPreferences {
  reminderChannel: 'sms' | 'email' | 'none';
  reminderEarliestHour: number;
  reminderLatestHour: number;
}

/** Everything a message about a session needs, read fresh just before it is sent. */
export interface MessageContext {
  session: Pick<
    typeof programmeSessions.$inferSelect,
    'id' | 'participantId' | 'plannedAt' | 'mode' | 'place' | 'status' | 'version'
  >;
  participant: Pick<
    typeof participants.$inferSelect,
    'id' | 'givenName' | 'preferredName' | 'mobile' | 'email'
  > &
    ReminderPreferences;
  workerFullName: string;
  /** The participant's programme has ended: nothing more is sent about it. */
  programmeEnded: boolean;
  /** Trial mode: they withdrew from the intervention (or are in the control group): nothing is sent. */
  interventionWithheld: boolean;
}

export class ReminderRepository {
  async insert(db: Db, row: NewReminder): Promise<void> {
    await db.insert(sessionReminders).values(row);
  }

  async forSession(db: Db, sessionId: string): Promise<ReminderRow[]> {
    return db
      .select()
      .from(sessionReminders)
      .where(eq(sessionReminders.sessionId, sessionId))
      .orderBy(asc(sessionReminders.dueAt));
  }

  /** A participant's messages about sessions starting from `since`, in session order. */
  async forParticipantSince(db: Db, participantId: string, since: Date): Promise<ReminderRow[]> {
    return db
      .select()
      .from(sessionReminders)
      .where(
        and(eq(sessionReminders.participantId, participantId), gte(sessionReminders.sessionStartsAt, since)),
      )
      .orderBy(asc(sessionReminders.sessionStartsAt), asc(sessionReminders.dueAt));
  }

  /** Cancels the messages about a session that have not gone yet; returns how many. */
  /** Re-plans a message that has not gone out, in place (one row per session, kind and start). */
  async replan(db: Db, id: string, changes: Partial<NewReminder>): Promise<void> {
    await db
      .update(sessionReminders)
      .set(changes)
      .where(
        and(
          eq(sessionReminders.id, id),
          inArray(sessionReminders.status, ['scheduled', 'cancelled', 'skipped']),
        ),
      );
  }

  /**
   * Claims up to `limit` due messages for this instance: marks them 'sending' (remembering
   * when, in next_attempt_at) and returns them. Rows another instance holds are skipped, not
   * waited for. Run it in the transaction that puts their messages in the outbox.
   */
  async claimDue(db: Db, now: Date, limit: number): Promise<ReminderRow[]> {
    const due = db
      .select({ id: sessionReminders.id })
      .from(sessionReminders)
      .where(and(eq(sessionReminders.status, 'scheduled'), lte(sessionReminders.nextAttemptAt, now)))
      .orderBy(asc(sessionReminders.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    return db
      .update(sessionReminders)
      .set({ status: 'sending', nextAttemptAt: now })
      .where(and(inArray(sessionReminders.id, due), eq(sessionReminders.status, 'scheduled')))
      .returning();
  }

  async setCalendarTokenHash(db: Db, id: string, hash: string): Promise<void> {
    await db.update(sessionReminders).set({ calendarTokenHash: hash }).where(eq(sessionReminders.id, id));
  }

  /** Ends a claimed row: sent, failed, back to scheduled for a retry, cancelled or skipped. */
  async finishClaim(db: Db, id: string, changes: Partial<NewReminder>): Promise<void> {
    await db
      .update(sessionReminders)
      .set(changes)
      .where(and(eq(sessionReminders.id, id), eq(sessionReminders.status, 'sending')));
  }

  async findById(db: Db, id: string): Promise<ReminderRow | undefined> {
    const [row] = await db.select().from(sessionReminders).where(eq(sessionReminders.id, id));
    return row;
  }

  /** Sent messages, sent since `sentSince`, whose delivery was not checked since `checkedBefore`. */
  async awaitingDelivery(
    db: Db,
    sentSince: Date,
    checkedBefore: Date,
    limit: number,
  ): Promise<ReminderRow[]> {
    return db
      .select()
      .from(sessionReminders)
      .where(
        and(
          eq(sessionReminders.status, 'sent'),
          gte(sessionReminders.sentAt, sentSince),
          sql`(${sessionReminders.statusCheckedAt} IS NULL OR ${sessionReminders.statusCheckedAt} < ${checkedBefore.toISOString()}::timestamptz)`,
        ),
      )
      .orderBy(asc(sessionReminders.sentAt))
      .limit(limit);
  }

  async recordDelivery(db: Db, id: string, changes: Partial<NewReminder>): Promise<void> {
    await db
      .update(sessionReminders)
      .set(changes)
      .where(and(eq(sessionReminders.id, id), eq(sessionReminders.status, 'sent')));
  }

  async findByCalendarTokenHash(db: Db, hash: string): Promise<ReminderRow | undefined> {
    const [row] = await db
      .select()
      .from(sessionReminders)
      .where(eq(sessionReminders.calendarTokenHash, hash));
    return row;
  }

  async messageContext(db: Db, sessionId: string): Promise<MessageContext | undefined> {
    const [row] = await db
      .select({
        session: {
          id: programmeSessions.id,
          participantId: programmeSessions.participantId,
          plannedAt: programmeSessions.plannedAt,
          mode: programmeSessions.mode,
          place: programmeSessions.place,
          status: programmeSessions.status,
          version: programmeSessions.version,
        },
        participant: {
          id: participants.id,
          givenName: participants.givenName,
          preferredName: participants.preferredName,
          mobile: participants.mobile,
          email: participants.email,
          reminderChannel: participants.reminderChannel,
          reminderEarliestHour: participants.reminderEarliestHour,
          reminderLatestHour: participants.reminderLatestHour,
        },
        workerFullName: staffUsers.fullName,
        programmeEnded: sql<boolean>`EXISTS (SELECT 1 FROM ${programmeEndings} WHERE ${programmeEndings.participantId} = ${programmeSessions.participantId})`,
        interventionWithheld: sql<boolean>`${participants.interventionWithheld} IS NOT NULL`,
      })
      .from(programmeSessions)
      .innerJoin(participants, eq(participants.id, programmeSessions.participantId))
      .innerJoin(staffUsers, eq(staffUsers.id, programmeSessions.peerWorkerId))
      .where(eq(programmeSessions.id, sessionId));
    return row;
  }

  /** A participant's planned sessions starting after `from`: the ones whose reminders can still change. */
  async plannedSessionIds(db: Db, participantId: string, from: Date): Promise<string[]> {
    const rows = await db
      .select({ id: programmeSessions.id })
      .from(programmeSessions)
      .where(
        and(
          eq(programmeSessions.participantId, participantId),
          eq(programmeSessions.status, 'planned'),
          gte(programmeSessions.plannedAt, from),
        ),
      )
      .orderBy(asc(programmeSessions.plannedAt));
    return rows.map((row) => row.id);
  }

  async updatePreferences(db: Db, participantId: string, preferences: ReminderPreferences): Promise<void> {
    await db.update(participants).set(preferences).where(eq(participants.id, participantId));
  }
}
