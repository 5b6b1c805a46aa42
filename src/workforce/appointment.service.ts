/**
 * Appointment against the essential criteria (issue 15, part 1). The coordinator opens a vacancy
 * with its interview panel (one chair) and adds candidates (name and contact only). Each panel
 * member scores each candidate on every criterion (`appointment-criteria.json`) with a short
 * note, once; until they have, they cannot see the others' scores. When every member has
 * scored, the chair records the decision and its reasons. An appointed candidate's record is
 * linked to the staff account made for them; unsuccessful candidates' records are deleted after
 * the retention period by a job, audited. Every read of panel records and every change is
 * audited.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { addMonths, startOfUkDay, ukToday } from '../platform/calendar/uk-time.ts';
import { once } from '../platform/database/once.ts';
import type { AppointmentCriteria } from './appointment-criteria.ts';
import type { AppointmentRepository, CandidateRow, ScoreRow, Vacancy } from './appointment.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface VacancyInput {
  submissionToken: string;
  crisisTeamId: string;
  title: string;
  hoursPerWeek: number;
  closingOn: string;
  memberIds: string[];
  chairId: string;
}

export interface CandidateInput {
  submissionToken: string;
  fullName: string;
  email: string;
  phone: string | null;
}

export interface ScoresInput {
  scores: { criterionKey: string; score: number; note: string | null }[];
}

export interface CandidateView {
  candidate: CandidateRow;
  vacancy: Vacancy;
  /** Who has scored; their scores only when the viewer may read them. */
  submittedIds: string[];
  scores: (ScoreRow & { memberName: string })[] | null;
  mine: ScoreRow[];
  canScore: boolean;
  canDecide: boolean;
  canReadScores: boolean;
  canCreateAccount: boolean;
}

export const PANEL_MAX = 5;

export class AppointmentService {
  private readonly db: Db;
  private readonly store: AppointmentRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly criteria: AppointmentCriteria;
  private readonly retentionMonths: number;

  constructor(
    db: Db,
    store: AppointmentRepository,
    audit: AuditService,
    clock: Clock,
    criteria: AppointmentCriteria,
    retentionMonths: number,
  ) {
    this.db = db;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.criteria = criteria;
    this.retentionMonths = retentionMonths;
  }

  private panelOf(vacancy: Vacancy, submittedIds: readonly string[] = []): Resource {
    return {
      type: 'panel',
      trustId: vacancy.trustId,
      memberIds: vacancy.panel.map((m) => m.staffId),
      chairId: vacancy.panel.find((m) => m.chair)?.staffId ?? '',
      submittedIds,
    };
  }

  private canManage(ctx: StaffContext): boolean {
    return can(ctx.actor, 'appointment.manage', { type: 'trust', trustId: ctx.actor.trustId });
  }

  /** The vacancies the actor may see: all of the trust's for the coordinator, else those they sit on. */
  async list(ctx: StaffContext): Promise<{ vacancies: Vacancy[]; canManage: boolean }> {
    const vacancies = (await this.store.vacancies(this.db, ctx.actor.trustId)).filter((v) =>
      can(ctx.actor, 'appointment.view', this.panelOf(v)),
    );
    const canManage = this.canManage(ctx);
    if (!canManage && vacancies.length === 0 && !this.mayEverSitOnAPanel(ctx))
      throw new NotFoundError('page');
    return { vacancies, canManage };
  }

  private mayEverSitOnAPanel(ctx: StaffContext): boolean {
    return can(ctx.actor, 'appointment.score', {
      type: 'panel',
      trustId: ctx.actor.trustId,
      memberIds: [ctx.actor.id],
      chairId: '',
      submittedIds: [],
    });
  }

  /** Who may sit on a panel, for the vacancy form: the trust's programme staff. */
  async vacancyForm(
    ctx: StaffContext,
  ): Promise<{ staff: { id: string; fullName: string }[]; teams: { id: string; name: string }[] }> {
    if (!this.canManage(ctx)) throw new NotFoundError('page');
    const [staff, teams] = await Promise.all([
      this.store.staffOf(this.db, ctx.actor.trustId),
      this.store.teamsOf(this.db, ctx.actor.trustId),
    ]);
    return { staff, teams };
  }

  async createVacancy(ctx: StaffContext, input: VacancyInput): Promise<string> {
    if (!this.canManage(ctx)) throw new NotFoundError('page');
    const memberIds = [...new Set(input.memberIds)];
    if (!memberIds.includes(input.chairId))
      throw new ValidationError({ chairId: 'Select the chair from the panel members you chose' });
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const existing = await this.store.vacancyBySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (!(existing.createdBy === ctx.actor.id))
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return existing.id;
          }
          const [staff, teams] = await Promise.all([
            this.store.staffOf(tx, ctx.actor.trustId),
            this.store.teamsOf(tx, ctx.actor.trustId),
          ]);
          if (!memberIds.every((id) => staff.some((s) => s.id === id)))
            throw new ValidationError({ memberIds: 'Select the panel members from the list' });
          if (!teams.some((team) => team.id === input.crisisTeamId))
            throw new ValidationError({ crisisTeamId: 'Select the crisis team the post is in' });
          const id = randomUUID();
          await this.store.insertVacancy(
            tx,
            {
              id,
              trustId: ctx.actor.trustId,
              crisisTeamId: input.crisisTeamId,
              title: input.title,
              hoursPerWeek: input.hoursPerWeek,
              closingOn: input.closingOn,
              createdBy: ctx.actor.id,
              createdAt: this.clock.now(),
              submissionToken: input.submissionToken,
            },
            memberIds.map((staffId) => ({ staffId, chair: staffId === input.chairId })),
          );
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'appointment.vacancy_opened',
            entityType: 'vacancy',
            entityId: id,
            detail: { panel: memberIds.length },
          });
          return id;
        }),
      'vacancies_submission_token_key',
      async () => {
        const winner = await this.store.vacancyBySubmissionToken(this.db, input.submissionToken);
        return winner?.createdBy === ctx.actor.id ? winner.id : undefined;
      },
    );
  }

  private async vacancyFor(ctx: StaffContext, db: Db, vacancyId: string): Promise<Vacancy> {
    const vacancy = await this.store.vacancy(db, vacancyId);
    if (vacancy?.trustId !== ctx.actor.trustId || !can(ctx.actor, 'appointment.view', this.panelOf(vacancy)))
      throw new NotFoundError('vacancy');
    return vacancy;
  }

  /** A vacancy, its panel and its candidates, with how far each one's scoring has got; audited. */
  async vacancyPage(ctx: StaffContext, vacancyId: string) {
    const vacancy = await this.vacancyFor(ctx, this.db, vacancyId);
    const candidates = await this.store.candidatesOf(this.db, vacancyId);
    const scores = await this.store.scores(
      this.db,
      candidates.map((c) => c.id),
    );
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'appointment.viewed',
      entityType: 'vacancy',
      entityId: vacancyId,
      detail: { candidateIds: candidates.map((c) => c.id) },
    });
    return {
      vacancy,
      canManage: this.canManage(ctx),
      candidates: candidates.map((candidate) => {
        const submitted = new Set(
          scores.filter((s) => s.candidateId === candidate.id).map((s) => s.memberId),
        );
        return { ...candidate, submitted: submitted.size, iHaveScored: submitted.has(ctx.actor.id) };
      }),
    };
  }

  async addCandidate(ctx: StaffContext, vacancyId: string, input: CandidateInput): Promise<string> {
    if (!this.canManage(ctx)) throw new NotFoundError('page');
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const vacancy = await this.vacancyFor(ctx, tx, vacancyId);
          const existing = await this.store.candidateBySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (!(existing.vacancyId === vacancyId))
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return existing.id;
          }
          const id = randomUUID();
          await this.store.insertCandidate(tx, {
            id,
            vacancyId: vacancy.id,
            trustId: vacancy.trustId,
            fullName: input.fullName,
            email: input.email,
            phone: input.phone,
            addedBy: ctx.actor.id,
            addedAt: this.clock.now(),
            outcome: null,
            decisionReasons: null,
            decidedBy: null,
            decidedAt: null,
            staffId: null,
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'appointment.candidate_added',
            entityType: 'candidate',
            entityId: id,
            detail: { vacancyId },
          });
          return id;
        }),
      'candidates_submission_token_key',
      async () => {
        const winner = await this.store.candidateBySubmissionToken(this.db, input.submissionToken);
        return winner?.vacancyId === vacancyId ? winner.id : undefined;
      },
    );
  }

  private async candidateFor(ctx: StaffContext, db: Db, candidateId: string, lock = false) {
    const candidate = await this.store.candidate(db, candidateId, lock);
    if (candidate?.trustId !== ctx.actor.trustId) throw new NotFoundError('candidate');
    const vacancy = await this.vacancyFor(ctx, db, candidate.vacancyId);
    const scores = await this.store.scores(db, [candidate.id]);
    const submittedIds = [...new Set(scores.map((s) => s.memberId))];
    return { candidate, vacancy, scores, submittedIds, panel: this.panelOf(vacancy, submittedIds) };
  }

  /** A candidate as the viewer may see them: their own scores, and the panel's once theirs are in; audited. */
  async candidatePage(ctx: StaffContext, candidateId: string): Promise<CandidateView> {
    const { candidate, vacancy, scores, submittedIds, panel } = await this.candidateFor(
      ctx,
      this.db,
      candidateId,
    );
    const canReadScores = can(ctx.actor, 'appointment.read_scores', panel);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'appointment.viewed',
      entityType: 'candidate',
      entityId: candidateId,
      detail: { scoresShown: canReadScores },
    });
    const names = new Map(vacancy.panel.map((m) => [m.staffId, m.fullName]));
    return {
      candidate,
      vacancy,
      submittedIds,
      scores: canReadScores
        ? scores.map((s) => ({ ...s, memberName: names.get(s.memberId) ?? 'A panel member' }))
        : null,
      mine: scores.filter((s) => s.memberId === ctx.actor.id),
      canScore:
        candidate.outcome === null &&
        can(ctx.actor, 'appointment.score', panel) &&
        !submittedIds.includes(ctx.actor.id),
      canDecide: candidate.outcome === null && can(ctx.actor, 'appointment.decide', panel),
      canReadScores,
      canCreateAccount:
        candidate.outcome === 'appointed' && candidate.staffId === null && this.canManage(ctx),
    };
  }

  /** A member's scores for every criterion, submitted once. */
  async submitScores(ctx: StaffContext, candidateId: string, input: ScoresInput): Promise<void> {
    const keys = this.criteria.criteria.map((c) => c.key);
    if (keys.some((key) => !input.scores.some((s) => s.criterionKey === key)))
      throw new ValidationError({ form: 'Score the candidate on every criterion' });
    await this.db.transaction(async (tx) => {
      const { candidate, submittedIds, panel } = await this.candidateFor(ctx, tx, candidateId, true);
      if (!can(ctx.actor, 'appointment.score', panel)) throw new NotFoundError('candidate');
      if (candidate.outcome !== null || submittedIds.includes(ctx.actor.id)) return;
      const now = this.clock.now();
      await this.store.submitScores(
        tx,
        input.scores.map((s) => ({ candidateId, memberId: ctx.actor.id, ...s, submittedAt: now })),
      );
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'appointment.scored',
        entityType: 'candidate',
        entityId: candidateId,
      });
    });
  }

  async decide(
    ctx: StaffContext,
    candidateId: string,
    input: { outcome: 'appointed' | 'not_appointed'; reasons: string },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { panel, candidate } = await this.candidateFor(ctx, tx, candidateId, true);
      if (!can(ctx.actor, 'appointment.view', panel)) throw new NotFoundError('candidate');
      if (!can(ctx.actor, 'appointment.decide', panel))
        throw new ValidationError({
          outcome: 'Only the chair records the decision, once every panel member has scored',
        });
      if (candidate.outcome !== null) return;
      await this.store.decide(tx, candidateId, { ...input, by: ctx.actor.id, at: this.clock.now() });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'appointment.decided',
        entityType: 'candidate',
        entityId: candidateId,
        detail: { outcome: input.outcome },
      });
    });
  }

  /** Deletes unsuccessful candidates' records once the retention period has passed (the job); audited with counts. */
  async applyRetention(): Promise<{ deleted: number }> {
    const before = startOfUkDay(addMonths(ukToday(this.clock.now()), -this.retentionMonths));
    let deleted = 0;
    for (;;) {
      const batch = await this.db.transaction(async (tx) => {
        const removed = await this.store.deleteUnsuccessful(tx, before, 200);
        if (removed.length > 0) {
          await this.audit.record(tx, {
            actor: { kind: 'system' },
            ip: null,
            action: 'appointment.candidates_deleted',
            entityType: 'candidate',
            entityId: null,
            detail: {
              count: removed.length,
              candidateIds: removed.map((r) => r.id),
              retentionMonths: this.retentionMonths,
            },
          });
        }
        return removed.length;
      });
      deleted += batch;
      if (batch < 200) return { deleted };
    }
  }
}
