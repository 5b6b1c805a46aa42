/**
 * In-memory contact attempts and attended sessions for service tests of staying in touch, read
 * as ContactAttemptRepository reads them (newest first, with who made each).
 */
import type { Db } from '../platform/database/database.ts';
import type { ContactAttemptRow } from '../contact/contact-attempt.repository.ts';
import type { ContactAttempts } from '../contact/contact.service.ts';
import type { FakeDatabase, FakeTable } from './fake-db.ts';
import type { FakeProgramme } from './fake-programme.ts';

interface AttendedSession {
  id: string;
  participantId: string;
  plannedAt: Date;
}

export class FakeContactAttemptRepository implements ContactAttempts {
  readonly attempts: FakeTable<ContactAttemptRow>;
  /** Sessions the participant attended (only attended ones reach them). */
  readonly attended: FakeTable<AttendedSession>;
  private readonly world: FakeProgramme;

  constructor(database: FakeDatabase, world: FakeProgramme) {
    this.attempts = database.table<ContactAttemptRow>('contact_attempts', {
      contact_attempts_submission_token_key: 'submissionToken',
    });
    this.attended = database.table('programme_sessions');
    this.world = world;
  }

  async insert(_db: Db, row: ContactAttemptRow): Promise<void> {
    this.attempts.insert(row);
  }

  async bySubmissionToken(_db: Db, token: string): Promise<ContactAttemptRow | undefined> {
    return this.attempts.where((a) => a.submissionToken === token)[0];
  }

  async listForParticipant(
    _db: Db,
    participantId: string,
  ): Promise<(ContactAttemptRow & { madeByName: string })[]> {
    return this.attempts
      .where((a) => a.participantId === participantId)
      .sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime())
      .map((a) => ({ ...a, madeByName: this.world.staffName(a.madeBy) }));
  }

  async lastAttendedAt(_db: Db, participantId: string): Promise<Date | null> {
    const times = this.attended
      .where((s) => s.participantId === participantId)
      .map((s) => s.plannedAt.getTime());
    return times.length > 0 ? new Date(Math.max(...times)) : null;
  }
}
