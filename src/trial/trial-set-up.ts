/**
 * Setting up the deployment's trial (trial mode, before there is one): its name, its short code
 * (the start of every study id) and the trusts taking part, the trial manager's own among them.
 * Once set up it opens at once; a second set-up is refused, as there is one trial per deployment.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Parsed } from '../platform/http/form-page.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { parseForm, text } from '../platform/http/forms.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { TrialRepository } from './trial.repository.ts';
import type { TrialSites } from './trial-sites.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const SET_UP_FIELDS = ['name', 'shortCode', 'siteTrustIds'];

export interface SetUpInput {
  name: string;
  shortCode: string;
  siteTrustIds: string[];
}

const setUpSchema = z.object({
  name: text('Enter the trial’s name', 200, 'The trial’s name must be 200 characters or fewer'),
  shortCode: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(
      z.string().regex(/^[A-Z0-9-]{2,20}$/, {
        error: 'Short code must be 2 to 20 letters, numbers or hyphens, such as PEERS or PEERS-2027',
      }),
    ),
  siteTrustIds: z
    .union([z.uuid(), z.array(z.uuid())], { error: 'Select the trusts taking part' })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.uuid()).min(1, { error: 'Select the trusts taking part' })),
});

export function parseSetUpForm(body: unknown): Parsed<SetUpInput> {
  const record = asRecord(body);
  return parseForm(setUpSchema, { ...record, siteTrustIds: record.siteTrustIds ?? [] });
}

export class TrialSetUp {
  private readonly db: Db;
  private readonly trials: TrialRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly enabled: boolean;
  private readonly sites: Pick<TrialSites, 'forget'>;

  constructor(
    db: Db,
    trials: TrialRepository,
    audit: AuditService,
    clock: Clock,
    enabled: boolean,
    sites: Pick<TrialSites, 'forget'>,
  ) {
    this.sites = sites;
    this.db = db;
    this.trials = trials;
    this.audit = audit;
    this.clock = clock;
    this.enabled = enabled;
  }

  private async check(db: Db, ctx: StaffContext): Promise<void> {
    if (!this.enabled || !can(ctx.actor, 'trial.set_up', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    if (await this.trials.theTrial(db)) throw new NotFoundError('page');
  }

  /** The trusts the trial may take in, for the form; "not found" once a trial exists. */
  async form(ctx: StaffContext): Promise<{ trusts: { id: string; name: string }[]; ownTrustId: string }> {
    await this.check(this.db, ctx);
    return { trusts: await this.trials.trusts(this.db), ownTrustId: ctx.actor.trustId };
  }

  async setUp(ctx: StaffContext, input: SetUpInput): Promise<string> {
    const known = new Set((await this.trials.trusts(this.db)).map((t) => t.id));
    const sites = [...new Set(input.siteTrustIds)];
    if (sites.some((id) => !known.has(id)))
      throw new ValidationError({ siteTrustIds: 'Select the trusts taking part from the list' });
    if (!sites.includes(ctx.actor.trustId))
      throw new ValidationError({ siteTrustIds: 'Your own trust must be one of the trusts taking part' });
    const id = await this.db.transaction(async (tx) => {
      // One set-up at a time: the second finds the first's trial and is refused.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(7318017, 0)`);
      await this.check(tx, ctx);
      const id = randomUUID();
      await this.trials.insertTrial(tx, {
        id,
        name: input.name,
        shortCode: input.shortCode,
        openedAt: this.clock.now(),
        lockedAt: null,
      });
      for (const trustId of sites) await this.trials.insertSite(tx, id, trustId);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.set_up',
        entityType: 'trial',
        entityId: id,
        detail: { shortCode: input.shortCode, sites },
      });
      return id;
    });
    // The header's menu offers the trial's pages at its sites from the next page on.
    this.sites.forget();
    return id;
  }
}
