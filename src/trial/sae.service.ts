/**
 * Serious adverse events (PRODUCT.md section 7): the trial manager records one about a randomised
 * participant (their study id, never a name) with its kind, relatedness and expectedness, and the
 * clock starts from when the research team became aware of it: the report to the sponsor is due
 * `reportWithinHours` (24) later. The 'trial.sae-clock' job, every 15 minutes on the job queue,
 * emails the trial managers of every site once when the report is due soon and once when it is
 * overdue, each claimed on the event's row in the transaction that queues the emails and writes
 * the audit event, so two instances or a restart still warn once. Recording the report (with the
 * sponsor's reference) stops the clock.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import { fromUkWallClock } from '../platform/calendar/uk-time.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { TrialRepository } from './trial.repository.ts';
import type { RandomisationRepository } from './randomisation.repository.ts';
import { refuseWhenLocked, site, type TrialService } from './trial.service.ts';
import type { Expectedness, Relatedness, SeriousAdverseEvents } from './serious-adverse-events.ts';
import { SAE_TOKEN_KEY, type SaeListRow, type SaeRepository } from './sae.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const SAE_CLOCK_SOURCE = 'trial-sae-clock';

/** One serious adverse event, with the study id of the person it is about. */
export type SaeEvent = SaeListRow;

export interface SaeInput {
  submissionToken: string;
  kind: string;
  onsetOn: string;
  awareOn: string;
  awareAt: [hour: number, minute: number];
  summary: string;
  relatedness: Relatedness;
  expectedness: Expectedness;
}

export class SaeService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly trials: TrialRepository;
  private readonly randomisations: RandomisationRepository;
  private readonly saes: SaeRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly events: SeriousAdverseEvents;
  private readonly publicUrl: string | undefined;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    repositories: { trials: TrialRepository; randomisations: RandomisationRepository; saes: SaeRepository },
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    events: SeriousAdverseEvents,
    publicUrl: string | undefined,
  ) {
    this.db = db;
    this.trial = trial;
    this.trials = repositories.trials;
    this.randomisations = repositories.randomisations;
    this.saes = repositories.saes;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.events = events;
    this.publicUrl = publicUrl;
  }

  /** The randomised person a report is about, if the actor may report at their site. */
  async subject(ctx: StaffContext, screeningId: string, db: Db = this.db) {
    const { trial, siteTrustIds } = await this.trial.access(db, ctx, 'trial.sae');
    const screening = await this.trials.screening(db, trial.id, screeningId);
    if (!screening || !can(ctx.actor, 'trial.sae', site(screening.trustId, siteTrustIds)))
      throw new NotFoundError('screening');
    const consent = await this.trials.consentForScreening(db, screeningId);
    const randomisation = consent ? await this.randomisations.forConsent(db, consent.id) : undefined;
    if (!randomisation) throw new NotFoundError('randomisation');
    return { trial, screening, randomisation };
  }

  /** Records an event; its report to the sponsor is due `reportWithinHours` after awareness. */
  async record(ctx: StaffContext, screeningId: string, input: SaeInput): Promise<string> {
    if (!this.events.kinds.some((k) => k.key === input.kind))
      throw new ValidationError({ kind: 'Select what kind of serious adverse event it was' });
    const awareAt = fromUkWallClock(input.awareOn, ...input.awareAt);
    if (awareAt.getTime() > this.clock.now().getTime())
      throw new ValidationError({ awareOn: 'When the team became aware must be now or in the past' });
    if (input.onsetOn > input.awareOn)
      throw new ValidationError({
        onsetOn: 'It must have happened on or before the day the team became aware',
      });
    const earlier = async (db: Db) => (await this.saes.byToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          const { trial, randomisation } = await this.subject(ctx, screeningId, tx);
          refuseWhenLocked(trial);
          const id = randomUUID();
          const reportBy = new Date(awareAt.getTime() + this.events.reportWithinHours * 3_600_000);
          await this.saes.insert(tx, {
            id,
            trialId: trial.id,
            randomisationId: randomisation.id,
            kind: input.kind,
            onsetOn: input.onsetOn,
            awareAt,
            reportBy,
            summary: input.summary,
            relatedness: input.relatedness,
            expectedness: input.expectedness,
            recordedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            reportedAt: null,
            reportedBy: null,
            sponsorReference: null,
            warnedAt: null,
            overdueAt: null,
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.sae_recorded',
            entityType: 'trial_sae',
            entityId: id,
            detail: { studyId: randomisation.studyId, kind: input.kind, reportBy: reportBy.toISOString() },
          });
          return id;
        }),
      SAE_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  /** The trial's events with their clocks, for the trial manager. */
  async list(ctx: StaffContext): Promise<{ events: SaeListRow[]; now: Date; lockedAt: Date | null }> {
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.sae');
    const events = (await this.saes.list(this.db, trial.id)).filter((e) =>
      can(ctx.actor, 'trial.sae', site(e.trustId, siteTrustIds)),
    );
    return { events, now: this.clock.now(), lockedAt: trial.lockedAt };
  }

  async one(ctx: StaffContext, id: string): Promise<SaeListRow> {
    const { events } = await this.list(ctx);
    const event = events.find((e) => e.id === id);
    if (!event) throw new NotFoundError('serious adverse event');
    return event;
  }

  /** Records the report to the sponsor, which stops the clock; the same again changes nothing. */
  async markReported(ctx: StaffContext, id: string, sponsorReference: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { trial, siteTrustIds } = await this.trial.access(tx, ctx, 'trial.sae');
      refuseWhenLocked(trial);
      const event = await this.saes.lock(tx, id);
      if (!event || !can(ctx.actor, 'trial.sae', site(event.trustId, siteTrustIds)))
        throw new NotFoundError('serious adverse event');
      if (event.reportedAt) {
        if (event.sponsorReference === sponsorReference) return;
        throw new ConflictError('Its report to the sponsor is already recorded');
      }
      const now = this.clock.now();
      await this.saes.markReported(tx, id, ctx.actor.id, now, sponsorReference);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.sae_reported',
        entityType: 'trial_sae',
        entityId: id,
        detail: { studyId: event.studyId, late: now.getTime() > event.reportBy.getTime() },
      });
    });
  }

  /** The job: warns of every report due soon, then of every one overdue, each once. */
  async runClock(): Promise<{ warned: number; overdue: number }> {
    const now = this.clock.now();
    let warned = 0;
    let overdue = 0;
    for (const late of [false, true]) {
      for (const due of await this.saes.clockDue(this.db, now, this.events.warnHoursBefore, late)) {
        const claimed = await this.db.transaction(async (tx) => {
          if (!(await this.saes.claim(tx, due.id, late, now))) return false;
          const managers = await this.saes.trialManagers(tx, due.trialId);
          await this.audit.record(tx, {
            actor: { kind: 'system' },
            ip: null,
            action: late ? 'trial.sae_overdue' : 'trial.sae_due_soon',
            entityType: 'trial_sae',
            entityId: due.id,
            detail: {
              studyId: due.studyId,
              reportBy: due.reportBy.toISOString(),
              recipients: managers.length,
            },
          });
          const personalisation = {
            studyId: due.studyId,
            when: late
              ? `was due by ${formatDateTime(due.reportBy)} and has not been recorded`
              : `is due by ${formatDateTime(due.reportBy)}`,
            link: `${this.publicUrl ?? ''}/trial/saes/${due.id}`,
          };
          for (const manager of managers) {
            await this.outbox.enqueue(tx, {
              channel: 'email',
              to: manager.email,
              template: 'trial_sae_clock',
              personalisation,
              preview:
                `The report to the sponsor of a serious adverse event (${personalisation.studyId}) ${personalisation.when}. ` +
                `Record it in Greenleaf once it is sent: ${personalisation.link}`,
              source: { kind: `${SAE_CLOCK_SOURCE}-${late ? 'overdue' : 'due-soon'}`, id: due.id },
              safety: true,
              trustId: manager.trustId,
            });
          }
          return true;
        });
        if (claimed && late) overdue += 1;
        else if (claimed) warned += 1;
      }
    }
    await this.outbox.dispatchDue();
    return { warned, overdue };
  }
}
