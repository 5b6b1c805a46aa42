/**
 * The worker's side of the recovery plan (issue 4): what a peer support worker writes on the
 * participant's behalf is marked and audited as such; after the programme ends the worker can
 * no longer write but the participant keeps their plan; a plan started on one template version
 * still reads the same when a newer version adds and drops sections.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { aParticipant, aSession, type MadeParticipant } from '../test-support/factories.ts';
import { formIds, newIds, textAnswer } from '../test-support/plan-forms.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { AuditService } from '../audit/audit.service.ts';
import { ReadEventBatches } from '../audit/read-events.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import type { ParticipantActor, RequestContext } from '../policy/actor.ts';
import { loadPlanTemplates, PlanTemplates, type PlanTemplate } from './plan-template.ts';
import { PlanRepository } from './plan.repository.ts';
import { PlanAccess } from './plan-access.ts';
import { PlanReadingService } from './plan-reading.service.ts';
import { PlanWritingService } from './plan-writing.service.ts';
import { DEFAULT_MEDIA_QUOTA } from './media-quota.ts';
import { processUpload } from './media-processing.ts';

let t: TestApp;
let pat: TestClient;
let patId: string;
/** Pat's North participants whose programme runs, made for these tests. */
let first: string;
let second: string;

beforeAll(async () => {
  t = await createTestApp();
  patId = await t.staffId(DEMO.workerPat);
  // Two of Pat's North-team participants with no plan yet; the first has been to a session
  // that worked on "Moving on after a crisis".
  const made = await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 62 });
  first = made.id;
  await aSession(t, made, { on: '2026-11-19', status: 'attended' });
  second = (await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 42 })).id;
  pat = await t.signedInAs(DEMO.workerPat);
});
afterAll(async () => {
  await t.close();
});

describe('writing on the participant’s behalf', () => {
  it('marks the entry as the worker’s, audits it as on their behalf, and the participant sees who wrote it', async () => {
    const base = `/participants/${first}/plan`;
    const page = await pat.get(`${base}/moving_on`);
    expect(page.statusCode).toBe(200);
    const ids = formIds(page.body, 'what_helped');
    const saved = await pat.post(`${base}/moving_on/entries`, {
      ...ids,
      ...textAnswer('what_helped', 'Walking the dog with my brother.'),
    });
    expect(saved.statusCode).toBe(303);

    const [entry] = await queryRows<{ written_by_kind: string; written_by: string }>(
      t.database,
      sql`SELECT written_by_kind, written_by FROM plan_entries WHERE id = ${ids.entryId}`,
    );
    expect(entry).toEqual({ written_by_kind: 'worker', written_by: patId });
    const [event] = await queryRows<{ actor_id: string; detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT actor_id, detail FROM audit_events
          WHERE action = 'plan.entry_saved' AND entity_id = ${first} ORDER BY seq DESC LIMIT 1`,
    );
    expect(event?.actor_id).toBe(patId);
    expect(event?.detail).toMatchObject({ section: 'moving_on', entryId: ids.entryId, onBehalf: true });

    const again = await pat.get(`${base}/moving_on`);
    expect(again.body).toContain('Written on their behalf');

    const me = await t.signedInAsParticipant(first);
    const mine = await me.get('/me/plan/moving_on');
    expect(mine.body).toContain('Walking the dog with my brother.');
    expect(mine.body).toContain('Written for you');
    expect(mine.body).toContain('Pat Peer');
  });

  it('lists the worker’s reading of the plan under "Who has looked at my plan"', async () => {
    await pat.get(`/participants/${first}/plan/keeping_well`);
    const me = await t.signedInAsParticipant(first);
    const views = await me.get('/me/plan/views');
    expect(views.statusCode).toBe(200);
    expect(views.body).toContain('Pat Peer');
    expect(views.body).toContain('Keeping well');
  });

  it('shows the plan panel on the participant page, and opening the page does not count as reading the plan', async () => {
    const reads = async () =>
      (
        await queryRows<{ n: number }>(
          t.database,
          sql`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'recovery_plan' AND entity_id = ${first}`,
        )
      )[0]?.n;
    const before = await reads();
    const page = await pat.get(`/participants/${first}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Recovery plan');
    expect(page.body).toContain('They share 7 sections of their plan with you.');
    expect(page.body).toContain(`href="/participants/${first}/plan"`);
    expect(await reads()).toBe(before);
  });
});

describe('sessions and the plan', () => {
  it('links each section worked on at a session to the plan, and stops linking one made private', async () => {
    const [session] = await queryRows<{ id: string; sections: string[] }>(
      t.database,
      sql`SELECT id, sections FROM programme_sessions
          WHERE participant_id = ${first} AND status = 'attended' AND 'moving_on' = ANY(sections) LIMIT 1`,
    );
    expect(session).toBeDefined();
    const link = `<a href="/participants/${first}/plan/moving_on">Moving on after a crisis</a>`;
    const record = await pat.get(`/sessions/${session!.id}/record`);
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain(link);
    expect(record.body).toContain(`href="/participants/${first}/plan">Open their recovery plan</a>`);
    expect((await pat.get(`/participants/${first}`)).body).toContain(link);

    await t.database.db.execute(
      sql`INSERT INTO recovery_plans (participant_id, template_version, started_at) VALUES (${first}, 1, now()) ON CONFLICT DO NOTHING`,
    );
    await t.database.db.execute(
      sql`INSERT INTO plan_section_sharing (participant_id, section_key, visibility, changed_at)
          VALUES (${first}, 'moving_on', 'private', now())
          ON CONFLICT (participant_id, section_key) DO UPDATE SET visibility = 'private'`,
    );
    const after = await pat.get(`/sessions/${session!.id}/record`);
    expect(after.body).not.toContain(link);
    expect(after.body).toContain('Moving on after a crisis');
    await t.database.db.execute(
      sql`UPDATE plan_section_sharing SET visibility = 'worker' WHERE participant_id = ${first} AND section_key = 'moving_on'`,
    );
  });
});

describe('goals in the end-of-programme summary', () => {
  it('shows the goals of a section shared with the worker, and none once it is private', async () => {
    const base = `/participants/${first}/plan`;
    const page = await pat.get(`${base}/hopes_and_goals`);
    const ids = formIds(page.body, 'goals');
    const saved = await pat.post(`${base}/hopes_and_goals/entries`, {
      ...ids,
      fieldKey: 'goals',
      kind: 'goal',
      goal: 'Get back on my bike',
      progress: 'started',
      stepText: ['Pump up the tyres'],
    });
    expect(saved.statusCode).toBe(303);
    const preview = await pat.get(`/participants/${first}/ending`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Get back on my bike');

    const me = await t.signedInAsParticipant(first);
    await me.get('/me/plan/sharing');
    const sections = t.deps.services.planTemplates.latest.sections.map((section) => section.key);
    const choices = Object.fromEntries(
      sections.map((key) => [`visibility-${key}`, key === 'hopes_and_goals' ? 'private' : 'worker']),
    );
    expect((await me.post('/me/plan/sharing', choices)).statusCode).toBe(303);
    const after = await pat.get(`/participants/${first}/ending`);
    expect(after.body).not.toContain('Get back on my bike');
    expect(after.body).toContain('None in the recovery plan yet, or not shared.');
    // Put back as it was for the other tests.
    await me.get('/me/plan/sharing');
    await me.post(
      '/me/plan/sharing',
      Object.fromEntries(sections.map((key) => [`visibility-${key}`, 'worker'])),
    );
  });
});

describe('after the programme ends', () => {
  beforeAll(async () => {
    await t.database.db.execute(
      sql`INSERT INTO programme_endings (participant_id, reason, ended_on, sessions_attended, sections, share_consent, recorded_by, recorded_at)
          VALUES (${second}, 'completed', '2026-11-25', 3, '{}', 'not_asked', ${patId}, now())`,
    );
  });

  it('the worker can still read a shared section but can no longer write in it', async () => {
    const base = `/participants/${second}/plan`;
    const page = await pat.get(`${base}/moving_on`);
    expect(page.statusCode).toBe(200);
    const refused = await pat.post(`${base}/moving_on/entries`, {
      ...newIds(),
      ...textAnswer('what_helped', 'Written after the end'),
    });
    expect(refused.statusCode).toBe(404);
    const written = await queryRows(
      t.database,
      sql`SELECT 1 FROM plan_entries WHERE participant_id = ${second}`,
    );
    expect(written).toHaveLength(0);
  });

  it('the participant keeps their plan and can go on writing in it', async () => {
    const me = await t.signedInAsParticipant(second);
    expect((await me.get('/me/plan')).statusCode).toBe(200);
    const page = await me.get('/me/plan/moving_on');
    expect(page.statusCode).toBe(200);
    const ids = formIds(page.body, 'what_helped');
    const saved = await me.post('/me/plan/moving_on/entries', {
      ...ids,
      ...textAnswer('what_helped', 'Still going to the walking group.'),
    });
    expect(saved.statusCode).toBe(303);
    expect((await me.get('/me/plan/moving_on')).body).toContain('Still going to the walking group.');
  });
});

describe('a newer template version', () => {
  it('leaves a plan started on version 1 as it was, while new plans start on version 2', async () => {
    const v1 = loadPlanTemplates().versions.find((v) => v.version === 1);
    if (!v1) throw new Error('no template version 1');
    const money = {
      ...v1.sections[0]!,
      key: 'money_matters',
      title: 'Money matters',
      info: [],
      fields: [{ key: 'worries', kind: 'list' as const, label: 'What worries me about money' }],
    };
    const v2: PlanTemplate = {
      ...v1,
      version: 2,
      sections: [...v1.sections.filter((s) => s.key !== 'tackling_problems'), money],
    };
    const templates = new PlanTemplates([v1, v2]);
    const plans = new PlanRepository();
    const auditRepository = new AuditRepository();
    const audit = new AuditService(
      auditRepository,
      t.clock,
      TEST_AUDIT_KEY,
      new ReadEventBatches(t.database.db, auditRepository),
    );
    const access = new PlanAccess(new ParticipantRepository(), plans, audit, t.clock, templates);
    const reading = new PlanReadingService(t.database.db, access, plans, DEFAULT_MEDIA_QUOTA);
    const writing = new PlanWritingService(
      t.database.db,
      access,
      plans,
      audit,
      t.clock,
      DEFAULT_MEDIA_QUOTA,
      { processUpload },
    );
    // Two more of Pat's: one plan started on version 1 with a problem written down; the other
    // not started.
    const one = await aParticipant(t, { worker: DEMO.workerPat });
    const two = await aParticipant(t, { worker: DEMO.workerPat });
    const as = (p: MadeParticipant): RequestContext & { actor: ParticipantActor } => ({
      actor: {
        kind: 'participant',
        id: p.id,
        trustId: p.trustId,
        crisisTeamId: p.crisisTeamId,
        displayName: 'Test',
      },
      ip: null,
    });
    const startedOnV1 = one.id;
    const fresh = two.id;
    await t.database.db.execute(
      sql`INSERT INTO recovery_plans (participant_id, template_version, started_at) VALUES (${startedOnV1}, 1, now())`,
    );
    const written = await writing.saveEntry(as(one), startedOnV1, 'tackling_problems', {
      entryId: randomUUID(),
      fieldKey: 'the_problem',
      baseRevision: 0,
      saveId: randomUUID(),
      entry: { kind: 'text', content: { text: 'Letters from the council' } },
    });
    expect(written.status).toBe('saved');

    const old = await reading.overview(as(one), startedOnV1);
    expect(old.sections.map((s) => s.key)).toContain('tackling_problems');
    expect(old.sections.map((s) => s.key)).not.toContain('money_matters');
    const problem = await reading.section(as(one), startedOnV1, 'tackling_problems');
    expect(problem.fields.find((f) => f.key === 'the_problem')?.entries[0]?.entry.content).toEqual({
      text: 'Letters from the council',
    });
    await expect(reading.section(as(one), startedOnV1, 'money_matters')).rejects.toThrow();

    const started = await reading.overview(as(two), fresh);
    expect(started.sections.map((s) => s.key)).toContain('money_matters');
    expect(started.sections.map((s) => s.key)).not.toContain('tackling_problems');
    // A section the newest version dropped keeps its title wherever it is named (sessions, endings).
    expect(templates.sectionTitle('tackling_problems')).toBe('Tackling problems');
    expect(templates.enabledSections.map((s) => s.key)).not.toContain('tackling_problems');
  });
});
