/**
 * What a starting service does about the made-up demo data. Its 14 staff accounts share a
 * password printed in the README, so production refuses to run on a database holding any of
 * it, however it got there (`npm run db:seed` run against the wrong database, say). Elsewhere it
 * is loaded the first time when asked (SEED_DEMO_DATA; on with the embedded database).
 */
import type { Config } from '../config.ts';
import type { Db } from '../platform/database/database.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-data.repository.ts';
import { DEMO_TRUST_ID, demoDataPresent, seedDemoData, type SeededStaff } from './seed.ts';
import { seedDemoTrial } from '../trial/demo-trial.ts';
import { seedDemoRandomisations } from '../trial/demo-randomisation.ts';
import { seedDemoTrialParticipants } from '../trial/demo-trial-participants.ts';
import { seedDemoSaes } from '../trial/demo-saes.ts';
import { DEMO_TRIAL_ID } from '../trial/demo-trial.ts';
import { seedDemoEpisodes, seedDemoPilot } from '../trial/demo-outcomes.ts';
import { seedDemoFollowUps } from '../trial/demo-follow-ups.ts';
import { seedDemoDataQuality } from '../trial/demo-data-quality.ts';

export class DemoDataInProductionError extends Error {
  constructor() {
    super(
      'Greenleaf cannot start: this database holds the made-up demo data (the demo trust, or staff ' +
        `accounts at @${DEMO_EMAIL_DOMAIN}, whose password is published), and NODE_ENV is ` +
        'production.\n  Point DATABASE_URL at a database `npm run db:seed` has never filled, or remove the ' +
        `demo trust and every @${DEMO_EMAIL_DOMAIN} account from this one.`,
    );
    this.name = 'DemoDataInProductionError';
  }
}

/**
 * The demo staff it seeded now, if any; throws in production on a database holding demo data.
 * In trial mode the demo trial is added too, the first time the service starts in trial mode
 * (a demo first started without it gets its trial then); never without trial mode.
 */
export async function demoDataAtStartUp(
  config: Pick<Config, 'environment' | 'seedDemoData' | 'trialMode'>,
  db: Db,
  now: Date,
): Promise<SeededStaff[] | undefined> {
  const present = await demoDataPresent(db);
  if (config.environment === 'production') {
    if (present) throw new DemoDataInProductionError();
    return undefined;
  }
  if (!config.seedDemoData) return undefined;
  const seeded = present ? undefined : await seedDemoData(db, now);
  // A trial in progress: screened, consented, most randomised (src/trial/demo-*.ts).
  if (config.trialMode && (await seedDemoTrial(db, DEMO_TRUST_ID, now))) {
    await seedDemoRandomisations(db);
    // Follow-ups due and overdue: the first randomised dated back (src/trial/demo-follow-ups.ts),
    // before their records are made and linked from those dates.
    await seedDemoFollowUps(db, now);
    await seedDemoTrialParticipants(db);
    await seedDemoEpisodes(db, DEMO_TRIAL_ID, now);
    await seedDemoDataQuality(db, now);
    await seedDemoSaes(db, now);
  }
  // A completed, locked pilot for the unblinded statistician's outcomes by arm (demo-outcomes.ts).
  if (config.trialMode) await seedDemoPilot(db, DEMO_TRUST_ID, now);
  return seeded;
}
