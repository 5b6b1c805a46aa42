/**
 * The demo trial's serious adverse events: one reported to the sponsor in time a fortnight ago,
 * and one the team became aware of 21 hours ago whose report is due within the next 3 hours (the
 * clock job warns the trial managers of it once the service is running). About randomised
 * people by study id, as the trial manager records them; deterministic from `now`.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { DEMO_TRIAL_ID } from './demo-trial.ts';
import { SaeRepository } from './sae.repository.ts';

const HOUR = 3_600_000;

export async function seedDemoSaes(db: Db, now: Date): Promise<void> {
  const people = await rowsOf<{ id: string; manager: string }>(
    db,
    sql`SELECT id, randomised_by AS manager FROM trial_randomisations
         WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY study_number LIMIT 2`,
  );
  const [first, second] = people;
  if (!first || !second) return;
  const saes = new SaeRepository();
  const reportedAware = new Date(now.getTime() - 14 * 24 * HOUR);
  await saes.insert(db, {
    id: randomUUID(),
    trialId: DEMO_TRIAL_ID,
    randomisationId: first.id,
    kind: 'medical_admission',
    onsetOn: addDays(ukToday(reportedAware), -1),
    awareAt: reportedAware,
    reportBy: new Date(reportedAware.getTime() + 24 * HOUR),
    summary: 'Admitted to a medical ward for three nights with pneumonia; recovered and discharged home.',
    relatedness: 'not_related',
    expectedness: 'expected',
    recordedBy: first.manager,
    recordedAt: new Date(reportedAware.getTime() + HOUR),
    reportedAt: new Date(reportedAware.getTime() + 20 * HOUR),
    reportedBy: first.manager,
    sponsorReference: 'SPN-DEMO-0001',
    warnedAt: null,
    overdueAt: null,
    submissionToken: randomUUID(),
  });
  const dueAware = new Date(now.getTime() - 21 * HOUR);
  await saes.insert(db, {
    id: randomUUID(),
    trialId: DEMO_TRIAL_ID,
    randomisationId: second.id,
    kind: 'self_harm_hospital',
    onsetOn: ukToday(dueAware),
    awareAt: dueAware,
    reportBy: new Date(dueAware.getTime() + 24 * HOUR),
    summary: 'Seen in the emergency department after self-harm; treated and discharged the same night with crisis team follow-up.',
    relatedness: 'unlikely',
    expectedness: 'expected',
    recordedBy: second.manager,
    recordedAt: new Date(dueAware.getTime() + HOUR),
    reportedAt: null,
    reportedBy: null,
    sponsorReference: null,
    warnedAt: null,
    overdueAt: null,
    submissionToken: randomUUID(),
  });
}
