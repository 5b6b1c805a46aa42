/**
 * Protocol deviations (PRODUCT.md section 7): the trial manager records each, of a kind from
 * protocol-deviations.json, about a randomised person (by study id) or none, with its severity
 * and the corrective and preventive action. A serious breach must also be reported to the
 * sponsor (UK clinical trials regulations: within 7 days of becoming aware of it); the pages say
 * so. Audited in the same transaction; refused once the trial is locked.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { TrialRow } from './trial.repository.ts';
import { site, type TrialService } from './trial.service.ts';
import type { ProtocolDeviations } from './protocol-deviations.ts';
import {
  DEVIATION_TOKEN_KEY,
  type DataQualityRepository,
  type DeviationListRow,
} from './data-quality.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const SEVERITIES = ['minor', 'major', 'serious_breach'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_WORDS: Record<Severity, string> = {
  minor: 'Minor',
  major: 'Major',
  serious_breach: 'Serious breach',
};

export interface DeviationInput {
  submissionToken: string;
  kind: string;
  studyId: string | null;
  occurredOn: string;
  description: string;
  severity: Severity;
  correctiveAction: string;
  preventiveAction: string;
}

export class DeviationService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access' | 'writable'>;
  private readonly repository: DataQualityRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly kinds: ProtocolDeviations;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access' | 'writable'>,
    repository: DataQualityRepository,
    audit: AuditService,
    clock: Clock,
    kinds: ProtocolDeviations,
  ) {
    this.db = db;
    this.trial = trial;
    this.repository = repository;
    this.audit = audit;
    this.clock = clock;
    this.kinds = kinds;
  }

  kindTitle(key: string): string {
    return this.kinds.kinds.find((k) => k.key === key)?.title ?? key;
  }

  /** The trial, for the form; refused once it is locked. */
  async recordForm(ctx: StaffContext): Promise<TrialRow> {
    return (await this.trial.writable(this.db, ctx, 'trial.deviation')).trial;
  }

  /** Records a deviation; a form sent twice records one. */
  async record(ctx: StaffContext, input: DeviationInput): Promise<string> {
    if (!this.kinds.kinds.some((k) => k.key === input.kind))
      throw new ValidationError({ kind: 'Select what kind of deviation it was' });
    const earlier = async (db: Db) => (await this.repository.deviationByToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          const { trial, siteTrustIds } = await this.trial.writable(tx, ctx, 'trial.deviation');
          let randomisationId: string | null = null;
          if (input.studyId !== null) {
            const record = await this.repository.queryable(tx, trial.id, input.studyId);
            if (!record || !can(ctx.actor, 'trial.deviation', site(record.trustId, siteTrustIds)))
              throw new ValidationError({ studyId: 'No one randomised in this trial has that study ID' });
            randomisationId = record.randomisationId;
          }
          const id = randomUUID();
          await this.repository.insertDeviation(tx, {
            id,
            trialId: trial.id,
            randomisationId,
            kind: input.kind,
            occurredOn: input.occurredOn,
            description: input.description,
            severity: input.severity,
            correctiveAction: input.correctiveAction,
            preventiveAction: input.preventiveAction,
            recordedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.deviation_recorded',
            entityType: 'trial_deviation',
            entityId: id,
            detail: { studyId: input.studyId, kind: input.kind, severity: input.severity },
          });
          return id;
        }),
      DEVIATION_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  async list(ctx: StaffContext): Promise<{ trial: TrialRow; deviations: DeviationListRow[] }> {
    const { trial } = await this.trial.access(this.db, ctx, 'trial.deviation');
    return { trial, deviations: await this.repository.listDeviations(this.db, trial.id) };
  }

  async one(ctx: StaffContext, id: string): Promise<DeviationListRow> {
    const { deviations } = await this.list(ctx);
    const deviation = deviations.find((d) => d.id === id);
    if (!deviation) throw new NotFoundError('protocol deviation');
    return deviation;
  }
}
