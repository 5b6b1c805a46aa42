/**
 * In-memory lone working visits for service tests, read as LoneWorkingRepository reads them: a
 * visit is open until checked out or acknowledged, a worker's caseload is their current
 * allocations, and a booked visit is a planned face-to-face session of theirs.
 */
import type { Db } from '../platform/database/database.ts';
import type {
  BookedVisit,
  CaseloadChoice,
  LoneAlertRow,
  LoneVisitRow,
  OverdueVisit,
} from '../lone-working/lone-working.repository.ts';
import type { LoneWorkingVisits } from '../lone-working/lone-working.service.ts';
import type { FakeDatabase, FakeTable } from './fake-db.ts';
import type { FakeProgramme } from './fake-programme.ts';

/** A session the worker has booked: only what a check-in reads of it. */
export interface BookedSession {
  id: string;
  participantId: string;
  peerWorkerId: string;
  plannedAt: Date;
  mode: 'in_person' | 'phone' | 'video';
  place: 'home' | 'community_venue' | 'nhs_site' | null;
  status: 'planned' | 'attended' | 'cancelled';
}

const isOpen = (visit: LoneVisitRow) => visit.checkedOutAt === null && visit.acknowledgedAt === null;

export class FakeLoneWorkingRepository implements LoneWorkingVisits {
  readonly visits: FakeTable<LoneVisitRow>;
  readonly sessions: FakeTable<BookedSession>;
  readonly alerts: FakeTable<LoneAlertRow>;
  private readonly world: FakeProgramme;

  constructor(database: FakeDatabase, world: FakeProgramme) {
    this.visits = database.table<LoneVisitRow>('lone_working_visits', {
      lone_working_visits_submission_token_key: 'submissionToken',
    });
    this.sessions = database.table('programme_sessions');
    this.alerts = database.table('lone_working_alerts');
    this.world = world;
  }

  async insert(_db: Db, row: LoneVisitRow): Promise<void> {
    this.visits.insert(row);
  }

  async bySubmissionToken(_db: Db, token: string): Promise<LoneVisitRow | undefined> {
    return this.visits.where((v) => v.submissionToken === token)[0];
  }

  async lockById(_db: Db, id: string): Promise<LoneVisitRow | undefined> {
    return this.visits.get(id);
  }

  async lockWithWorker(_db: Db, id: string): Promise<(LoneVisitRow & { workerTrustId: string }) | undefined> {
    const visit = this.visits.get(id);
    const worker = visit && this.world.staff.get(visit.workerId);
    return visit && worker ? { ...visit, workerTrustId: worker.trustId } : undefined;
  }

  async currentForWorker(_db: Db, workerId: string): Promise<LoneVisitRow | undefined> {
    return this.visits
      .where((v) => v.workerId === workerId && v.checkedOutAt === null)
      .sort((a, b) => b.checkedInAt.getTime() - a.checkedInAt.getTime())[0];
  }

  async pastForWorker(_db: Db, workerId: string, limit: number): Promise<LoneVisitRow[]> {
    return this.visits
      .where((v) => v.workerId === workerId && v.checkedOutAt !== null)
      .sort((a, b) => b.checkedInAt.getTime() - a.checkedInAt.getTime())
      .slice(0, limit);
  }

  async checkOut(_db: Db, id: string, at: Date): Promise<boolean> {
    return (
      this.visits.update((v) => v.id === id && v.checkedOutAt === null, { checkedOutAt: at }).length === 1
    );
  }

  async acknowledge(_db: Db, id: string, by: string, at: Date, note: string): Promise<boolean> {
    return (
      this.visits.update((v) => v.id === id && isOpen(v), {
        acknowledgedBy: by,
        acknowledgedAt: at,
        acknowledgementNote: note,
      }).length === 1
    );
  }

  async bookedVisit(_db: Db, workerId: string, from: Date, to: Date): Promise<BookedVisit | undefined> {
    const [session] = this.sessions
      .where(
        (s) =>
          s.peerWorkerId === workerId &&
          s.status === 'planned' &&
          s.mode === 'in_person' &&
          s.plannedAt >= from &&
          s.plannedAt <= to &&
          this.world.currentAllocation(s.participantId)?.peerWorkerId === workerId,
      )
      .sort((a, b) => a.plannedAt.getTime() - b.plannedAt.getTime());
    const participant = session && this.world.participants.get(session.participantId);
    if (!session || !participant) return undefined;
    return {
      sessionId: session.id,
      participantId: session.participantId,
      plannedAt: session.plannedAt,
      place: session.place,
      address: participant.address,
      postcode: participant.postcode,
    };
  }

  async caseload(_db: Db, workerId: string): Promise<CaseloadChoice[]> {
    return this.world.allocations
      .where((a) => a.peerWorkerId === workerId && a.endedAt === null)
      .flatMap((a) => {
        const p = this.world.participants.get(a.participantId);
        return p
          ? [{ id: p.id, givenName: p.givenName, familyName: p.familyName, preferredName: p.preferredName }]
          : [];
      })
      .sort((a, b) => a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName));
  }

  async overdue(_db: Db, endedBy: Date, trustId?: string): Promise<OverdueVisit[]> {
    return this.visits
      .where((v) => isOpen(v) && v.expectedEndAt <= endedBy)
      .flatMap((v) => {
        const worker = this.world.staff.get(v.workerId);
        if (!worker || (trustId !== undefined && worker.trustId !== trustId)) return [];
        const team = worker.crisisTeamId ? this.world.teams.get(worker.crisisTeamId) : undefined;
        return [
          {
            ...v,
            workerName: worker.fullName,
            workerTrustId: worker.trustId,
            workerTeamId: worker.crisisTeamId,
            workerTeamName: team?.name ?? null,
            dutyEmail: team?.dutyEmail ?? null,
            alertedSteps: this.alerts
              .where((a) => a.visitId === v.id)
              .map((a) => a.step)
              .sort((a, b) => a - b),
          },
        ];
      })
      .sort((a, b) => a.expectedEndAt.getTime() - b.expectedEndAt.getTime());
  }
}
