/**
 * The demo trial's data quality: an open data query from the analyst, one the trial manager has
 * answered for the outcome assessor to close, and a minor protocol deviation; and a known
 * authenticator key for the demo analyst, so the exports' second-factor step can be tried (demo
 * only: add the key to an authenticator app, or compute its codes in the browser tests).
 * Deterministic from `now`. The demo trial stays open (unlocked).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { DataQualityRepository } from './data-quality.repository.ts';
import { queryField } from './query-fields.ts';
import { DEMO_TRIAL_ID } from './demo-trial.ts';

/** The demo analyst's authenticator key (base32), for the demo and its browser tests only. */
export const DEMO_ANALYST_AUTHENTICATOR_KEY = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const DAY = 86_400_000;

export async function seedDemoDataQuality(db: Db, now: Date): Promise<void> {
  const staff = await rowsOf<{ id: string; email: string }>(
    db,
    sql`SELECT id, email FROM staff_users WHERE email IN (
          'trial.manager@demo.greenleaf.nhs.uk', 'analyst@demo.greenleaf.nhs.uk', 'assessor@demo.greenleaf.nhs.uk')`,
  );
  const idOf = (email: string) => staff.find((s) => s.email === email)?.id;
  const manager = idOf('trial.manager@demo.greenleaf.nhs.uk');
  const analyst = idOf('analyst@demo.greenleaf.nhs.uk');
  const assessor = idOf('assessor@demo.greenleaf.nhs.uk');
  if (!manager || !analyst || !assessor) return;
  const studyIds = (
    await rowsOf<{ studyId: string }>(
      db,
      sql`SELECT study_id AS "studyId" FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID}
           ORDER BY study_number LIMIT 3`,
    )
  ).map((r) => r.studyId);
  const [first, second, third] = studyIds;
  if (!first || !second || !third) return;
  const repository = new DataQualityRepository();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  await db.transaction(async (tx) => {
    const raise = async (studyId: string, fieldKey: string, question: string, by: string, days: number) => {
      const record = await repository.queryable(tx, DEMO_TRIAL_ID, studyId);
      const field = queryField(fieldKey);
      if (!record || !field) throw new Error(`demo data query: ${studyId} ${fieldKey}`);
      const id = randomUUID();
      await repository.insertQuery(tx, {
        id,
        trialId: DEMO_TRIAL_ID,
        randomisationId: record.randomisationId,
        field: field.key,
        valueAsRaised: field.value(record),
        question,
        status: 'open',
        raisedBy: by,
        raisedAt: ago(days),
        openSince: ago(days),
        closedBy: null,
        closedAt: null,
        submissionToken: randomUUID(),
      });
      return id;
    };
    await raise(
      first,
      'consent.taken_on',
      'The consent date is the same day as the screening: was consent really taken that day?',
      analyst,
      3,
    );
    const answered = await raise(
      second,
      'screening.year_of_birth',
      'The year of birth differs from the one on the baseline questionnaire: which is right?',
      assessor,
      6,
    );
    await repository.insertReply(tx, {
      id: randomUUID(),
      queryId: answered,
      kind: 'answer',
      body: 'Checked against the screening form: the year of birth in the trial record is right, the questionnaire had a typing error.',
      valueCorrected: false,
      writtenBy: manager,
      writtenAt: ago(4),
      submissionToken: randomUUID(),
    });
    await repository.setQueryStatus(tx, answered, { status: 'answered' });

    const thirdRecord = await repository.queryable(tx, DEMO_TRIAL_ID, third);
    await repository.insertDeviation(tx, {
      id: randomUUID(),
      trialId: DEMO_TRIAL_ID,
      randomisationId: thirdRecord?.randomisationId ?? null,
      kind: 'follow_up_outside_window',
      occurredOn: ukToday(ago(5)),
      description:
        'The baseline questionnaire was completed two days after its window closed, as the participant was unwell.',
      severity: 'minor',
      correctiveAction: 'Data kept and flagged for the analysis.',
      preventiveAction: 'Reminder the day before each window closes.',
      recordedBy: manager,
      recordedAt: ago(4),
      submissionToken: randomUUID(),
    });

    await tx.execute(
      sql`UPDATE staff_users SET totp_secret = ${DEMO_ANALYST_AUTHENTICATOR_KEY}, totp_enrolled_at = ${now.toISOString()}::timestamptz
           WHERE id = ${analyst} AND totp_secret IS NULL`,
    );
  });
}
