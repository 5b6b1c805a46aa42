/**
 * The analyst's exports (PRODUCT.md section 7; H36): each table of export-tables.ts as a
 * pseudonymised CSV, and the data dictionary. Behind a fresh second factor: before a download the
 * analyst enters a current code from their authenticator app, checked as staff sign-in checks it
 * (the same secret, and the same last-used time step, so a code works once, whether to sign in
 * or here; wrong codes count towards the same lock-out). A code is good for
 * EXPORT_WINDOW_MINUTES on that sign-in session only. Every check and every download is audited,
 * a download with its table, row count and the dictionary's version.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { toCsv } from '../platform/export/csv.ts';
import { ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { SignInThrottle, ThrottleRule } from '../identity/throttle.ts';
import { matchTotpStep } from '../identity/totp.ts';
import type { TrialRow } from './trial.repository.ts';
import type { TrialService } from './trial.service.ts';
import type { DataQualityRepository } from './data-quality.repository.ts';
import type { ProtocolDeviations } from './protocol-deviations.ts';
import {
  DICTIONARY_VERSION,
  dictionaryCsvRows,
  EXPORT_TABLES,
  exportTable,
  tableCsvRows,
  type ExportTable,
} from './export-tables.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** How long a code from the authenticator app lets the exports be downloaded. */
export const EXPORT_WINDOW_MINUTES = 5;
export const DICTIONARY_FILE = 'data-dictionary';

/** The same counter staff sign-in keeps for wrong codes: five in 15 minutes, then a wait. */
const codeRules = (staffId: string): ThrottleRule[] => [
  { key: `staff-totp:${staffId}`, allowance: 5, windowMinutes: 15 },
];

export class SecondFactorRequiredError extends Error {
  constructor() {
    super('A fresh code from the authenticator app is needed');
    this.name = 'SecondFactorRequiredError';
  }
}

export interface ExportsPage {
  trial: TrialRow;
  tables: readonly ExportTable[];
  hasAuthenticator: boolean;
  /** Until when downloads are allowed on this session; undefined when a code is needed. */
  verifiedUntil: Date | undefined;
}

export type VerifyOutcome = { kind: 'verified' } | { kind: 'wrong' } | { kind: 'throttled'; until: Date };

export class ExportService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly repository: DataQualityRepository;
  private readonly staff: StaffRepository;
  private readonly throttle: SignInThrottle;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly deviations: ProtocolDeviations;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    repositories: { dataQuality: DataQualityRepository; staff: StaffRepository },
    throttle: SignInThrottle,
    audit: AuditService,
    clock: Clock,
    deviations: ProtocolDeviations,
  ) {
    this.db = db;
    this.trial = trial;
    this.repository = repositories.dataQuality;
    this.staff = repositories.staff;
    this.throttle = throttle;
    this.audit = audit;
    this.clock = clock;
    this.deviations = deviations;
  }

  private async verifiedUntil(db: Db, ctx: StaffContext, sessionIdHash: string): Promise<Date | undefined> {
    const at = await this.repository.exportVerifiedAt(db, sessionIdHash, ctx.actor.id);
    if (!at) return undefined;
    const until = new Date(at.getTime() + EXPORT_WINDOW_MINUTES * 60_000);
    return until > this.clock.now() ? until : undefined;
  }

  async page(ctx: StaffContext, sessionIdHash: string): Promise<ExportsPage> {
    const { trial } = await this.trial.access(this.db, ctx, 'trial.export');
    const user = await this.staff.findById(this.db, ctx.actor.id);
    return {
      trial,
      tables: EXPORT_TABLES,
      hasAuthenticator: Boolean(user?.totpSecret),
      verifiedUntil: await this.verifiedUntil(this.db, ctx, sessionIdHash),
    };
  }

  /** Checks a code from the person's authenticator app; a right one opens the exports on this session for a few minutes. */
  async verify(ctx: StaffContext, sessionIdHash: string, code: string): Promise<VerifyOutcome> {
    await this.trial.access(this.db, ctx, 'trial.export');
    const user = await this.staff.findById(this.db, ctx.actor.id);
    if (!user?.totpSecret)
      throw new ValidationError({
        code: 'Set up an authenticator app on your account before downloading exports',
      });
    const secret = user.totpSecret;
    const rules = codeRules(user.id);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };
    const now = this.clock.now();
    const step = matchTotpStep(secret, code, now);
    return this.db.transaction(async (tx) => {
      const accepted = step !== undefined && (await this.staff.claimTotpStep(tx, user.id, step));
      if (!accepted) {
        await this.throttle.recordFailure(tx, rules);
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'trial.export_verify_failed',
          entityType: 'staff',
          entityId: user.id,
        });
        return { kind: 'wrong' as const };
      }
      await this.throttle.clearFirst(tx, rules);
      await this.repository.setExportVerified(tx, sessionIdHash, user.id, now);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.export_verified',
        entityType: 'staff',
        entityId: user.id,
      });
      return { kind: 'verified' as const };
    });
  }

  /**
   * One table's CSV, or the data dictionary, if this session gave a fresh code; audited with
   * what was exported. Undefined for a file that is not one of them.
   */
  async download(
    ctx: StaffContext,
    sessionIdHash: string,
    file: string,
  ): Promise<{ filename: string; csv: string } | undefined> {
    const table = file === DICTIONARY_FILE ? undefined : exportTable(file);
    if (file !== DICTIONARY_FILE && !table) return undefined;
    return this.db.transaction(async (tx) => {
      const { trial } = await this.trial.access(tx, ctx, 'trial.export');
      if (!(await this.verifiedUntil(tx, ctx, sessionIdHash))) throw new SecondFactorRequiredError();
      const rows = table
        ? tableCsvRows(table, await table.rows(tx, trial.id, { deviations: this.deviations }))
        : dictionaryCsvRows();
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.exported',
        entityType: 'trial',
        entityId: trial.id,
        detail: { table: file, rows: rows.length - 1, dictionaryVersion: DICTIONARY_VERSION },
      });
      return {
        filename: `${trial.shortCode.toLowerCase()}-${file}-v${String(DICTIONARY_VERSION)}.csv`,
        csv: toCsv(rows),
      };
    });
  }
}
