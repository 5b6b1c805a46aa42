/**
 * The trusts taking part in the deployment's trial, for the header's menu: read at most every
 * 30 seconds (they change only when the trial is set up, which forgets them at once here; another
 * instance learns within the 30 seconds). Without trial mode, none and no query.
 */
import type { Db } from '../platform/database/database.ts';
import type { TrialRepository } from './trial.repository.ts';

const KEEP_MS = 30_000;

export class TrialSites {
  private readonly db: Db;
  private readonly trials: TrialRepository;
  private readonly enabled: boolean;
  private known: { at: number; trustIds: readonly string[] | null } | undefined;

  constructor(db: Db, trials: TrialRepository, enabled: boolean) {
    this.db = db;
    this.trials = trials;
    this.enabled = enabled;
  }

  /** The trial's sites, or null when there is no trial (or no trial mode). */
  async current(): Promise<readonly string[] | null> {
    if (!this.enabled) return null;
    const now = performance.now();
    if (this.known && now - this.known.at < KEEP_MS) return this.known.trustIds;
    const trial = await this.trials.theTrial(this.db);
    const trustIds = trial ? await this.trials.siteTrustIds(this.db, trial.id) : null;
    this.known = { at: now, trustIds };
    return trustIds;
  }

  /** The trial was set up here: read afresh next time. */
  forget(): void {
    this.known = undefined;
  }
}
