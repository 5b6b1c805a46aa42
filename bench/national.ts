/**
 * The national-scale data set (`BENCH_SCALE=national npm run bench`): QUALITY.md's "≥ 50,000
 * participants, ≥ 400,000 sessions", written after the usual bench data (prepare.ts) by
 * set-based SQL (`INSERT … SELECT … FROM generate_series(…)`), in one transaction.
 *
 * The shape, all in the demo trust and none of it touching Pat's caseload or Rob's sessions
 * waiting to be recorded:
 * - 40 more crisis teams, each with 8 peer support workers (caseload limits 20–30) and 3
 *   clinicians, and 8 supervisors across them;
 * - 50,000 participants discharged over the last two years, spread evenly over those teams. The
 *   programme runs about 3 months: the ~6,300 discharged in the last 92 days are in it, each
 *   with a current worker of their team (never more than the worker's limit), except the newest
 *   referrals and any a team has no room for, who wait for a worker. Everyone else's programme has
 *   ended (a programme ending recorded; their last allocation stays, as the service leaves it).
 *   One to six allocations each (the earlier ones ended by a change of worker): ~157,000.
 *   Two workers are away today, so their participants wait for a new one too;
 * - roughly weekly sessions, most attended, some missed or cancelled, an occasional one not yet
 *   recorded and the next one booked for most people in the programme: ~460,000;
 * - contact attempts between sessions (~122,000), safety concerns and advice requests (~100,000:
 *   all but the last few days' closed, replies on advice requests, a first escalation step where
 *   the acknowledgement came late), 50,000 ended sign-in sessions;
 * - 1,000,000 audit events over the two years, signed and chained as `audit_append()` chains them
 *   (migrations/2026-12-03-301-keyed-audit-chain.sql): each event's HMAC with the audit key is
 *   worked out in SQL (sha256 over the key's inner and outer pads, the textbook HMAC), and each
 *   of the 64 chains is linked in order by a recursive query, 64 events a step. The server
 *   starts on them as on any log (it verifies nothing at start; its first checkpoint counts
 *   them), and `npm run audit:verify` passes on them. The pads are as good as the key, so they
 *   go into statements only here, on a throwaway database with a throwaway key.
 *
 * Every id is the md5 of 'gl-national:<kind>:<number>' made a version 4 uuid, so rows refer to
 * each other by arithmetic instead of joins. Shapes vary by hashtext() of the number: the same
 * data every run.
 */
import type { AuditKey } from '../src/audit/audit-key.ts';
import { DEMO_PASSWORD, DEMO_TRUST_ID, FAMILY_NAMES, GIVEN_NAMES } from '../src/demo/seed.ts';
import { hashPassword } from '../src/identity/password.ts';
import { loadPlanTemplates } from '../src/plan/plan-template.ts';
import { loadTrainingCatalogue } from '../src/workforce/training-catalogue.ts';
import type { Database, ScriptConnection } from '../src/platform/database/database.ts';

export interface NationalScale {
  participants: number;
  teams: number;
  workersPerTeam: number;
  cliniciansPerTeam: number;
  supervisors: number;
  auditEvents: number;
  userSessions: number;
}

export const NATIONAL_SCALE: NationalScale = {
  participants: 50_000,
  teams: 40,
  workersPerTeam: 8,
  cliniciansPerTeam: 3,
  supervisors: 8,
  auditEvents: 1_000_000,
  userSessions: 50_000,
};

/** The programme's length in days (3 months), and how far back discharges go. */
const PROGRAMME_DAYS = 92;
const HISTORY_DAYS = 730;
/** Audit events per statement: this many steps, each one event on every one of the 64 chains. */
const AUDIT_STEPS_PER_STATEMENT = 1_600;
const CHAINS = 64;

export interface NationalData {
  counts: Record<string, number>;
  /** Each step's time, in order, and the whole (VACUUM ANALYZE included). */
  steps: { name: string; ms: number }[];
  ms: number;
  /** Who the page timings sign in as: the demo coordinator, North's supervisor, a national team's clinician. */
  accounts: { coordinatorId: string; supervisorId: string; dutyClinicianId: string };
  /** National participants waiting for a worker, or a new one (their worker is away). */
  waiting: number;
}

const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;
/** Every item of the training catalogue, for the workers' records. */
const TRAINING_KEYS = loadTrainingCatalogue().items.map((item) => item.key);
const textArray = (values: readonly string[]) => `ARRAY[${values.map(lit).join(', ')}]::text[]`;
/**
 * A uuid made from a kind and a number: an md5, marked as a version 4 uuid (the service's
 * forms and links accept only those).
 */
const uid = (kind: string, key: string) =>
  `overlay(overlay(md5('gl-national:${kind}:' || (${key})) placing '4' from 13) placing '8' from 17)::uuid`;
const daysSql = (expr: string) => `(${expr}) * interval '1 day'`;

const NOTES = [
  'Talked about the first weeks at home and what has helped',
  'Looked at what a good day looks like and how to have more of them',
  'Went over early signs and who to tell',
  'Set a small goal for the week: a walk most mornings',
  'Talked through a difficult week and what got them through it',
];
const WHAT_HAPPENED = [
  'They said things have felt much harder since the weekend and they are not sleeping',
  'They mentioned stopping their medication; I said I would ask the team for advice',
  'Their housing situation has changed and they are worried about money',
  'They talked about thoughts of harming themselves; no plan, and they agreed I would tell the team',
  'Family member called me worried about them',
];

/** HMAC-SHA256's inner and outer pads of the key (a key of at most 64 bytes, padded with zeros). */
function hmacPads(key: AuditKey): { inner: string; outer: string } {
  const bytes = Buffer.alloc(64);
  const raw = Buffer.from(key.exportBase64(), 'base64');
  if (raw.length > 64) throw new Error('audit keys over 64 bytes are hashed first: not done here');
  raw.copy(bytes);
  const pad = (value: number) => Buffer.from(bytes.map((b) => b ^ value)).toString('hex');
  return { inner: pad(0x36), outer: pad(0x5c) };
}

interface Context {
  scale: NationalScale;
  now: string;
  coordinatorId: string;
  passwordHash: string;
  sectionKeys: string[];
}

function teamsAndStaff({ scale, passwordHash }: Context): string {
  const { teams: T, workersPerTeam: W, cliniciansPerTeam: C, supervisors: S } = scale;
  const name = (n: string) =>
    `(${textArray(GIVEN_NAMES)})[1 + (${n}) % ${String(GIVEN_NAMES.length)}] || ' ' || (${textArray(FAMILY_NAMES)})[1 + ((${n}) / ${String(GIVEN_NAMES.length)}) % ${String(FAMILY_NAMES.length)}]`;
  return `
INSERT INTO crisis_teams (id, trust_id, name, phone, duty_email)
SELECT ${uid('team', 't')}, '${DEMO_TRUST_ID}', 'Area ' || t || ' crisis resolution team',
       '0113 497 ' || lpad(t::text, 4, '0'), 'duty.area' || t || '@nhs.example'
  FROM generate_series(1, ${String(T)}) t;

INSERT INTO staff_users (id, trust_id, crisis_team_id, email, full_name, roles, password_hash,
                         caseload_limit)
SELECT ${uid('worker', `t || ':' || w`)}, '${DEMO_TRUST_ID}', ${uid('team', 't')},
       'national.area' || t || '.psw' || w || '@demo.greenleaf.nhs.uk', ${name('t * 11 + w * 3')},
       ARRAY['peer_worker'], ${lit(passwordHash)}, 20 + (3 * w + t) % 11
  FROM generate_series(1, ${String(T)}) t, generate_series(0, ${String(W - 1)}) w;

-- Every worker trained and checked 60 days ago: they may all take participants.
INSERT INTO training_records (id, trust_id, staff_id, item_key, completed_on, provider, recorded_by,
                              recorded_at, submission_token)
SELECT gen_random_uuid(), s.trust_id, s.id, k, current_date - 60, 'Peer support course', s.id, now(),
       gen_random_uuid()
  FROM staff_users s, unnest(ARRAY[${TRAINING_KEYS.map(lit).join(', ')}]) k
 WHERE s.email LIKE 'national.area%.psw%';

INSERT INTO pre_employment_checks (id, trust_id, staff_id, kind, completed_on, renew_by, recorded_by,
                                   recorded_at, submission_token)
SELECT gen_random_uuid(), s.trust_id, s.id, k, current_date - 60,
       CASE WHEN k = 'dbs' THEN current_date + 1035 END, s.id, now(), gen_random_uuid()
  FROM staff_users s, unnest(ARRAY['dbs', 'references', 'right_to_work', 'occupational_health']) k
 WHERE s.email LIKE 'national.area%.psw%';

INSERT INTO staff_users (id, trust_id, crisis_team_id, email, full_name, roles, password_hash)
SELECT ${uid('clinician', `t || ':' || c`)}, '${DEMO_TRUST_ID}', ${uid('team', 't')},
       'national.area' || t || '.clinician' || c || '@demo.greenleaf.nhs.uk', ${name('t * 7 + c * 13 + 5')},
       ARRAY['clinician'], ${lit(passwordHash)}
  FROM generate_series(1, ${String(T)}) t, generate_series(0, ${String(C - 1)}) c;

INSERT INTO staff_users (id, trust_id, crisis_team_id, email, full_name, roles, password_hash)
SELECT ${uid('supervisor', 's')}, '${DEMO_TRUST_ID}', ${uid('team', `1 + (s * ${String(Math.max(1, Math.floor(T / S)))}) % ${String(T)}`)},
       'national.supervisor' || s || '@demo.greenleaf.nhs.uk', ${name('s * 17 + 2')},
       ARRAY['supervisor'], ${lit(passwordHash)}
  FROM generate_series(1, ${String(S)}) s;`;
}

/**
 * One row per national participant, with everything the other tables are worked out from:
 * team t, days since discharge d, a hash h, whether waiting, the number of allocations k, the
 * current (or last) worker w, and when allocations began (a0) and the span they cover (span_s).
 */
function people({ scale, now }: Context): string {
  const { participants: N, teams: T, workersPerTeam: W } = scale;
  return `
CREATE TEMP TABLE nat_people ON COMMIT DROP AS
WITH base AS (
  SELECT i, ${uid('p', 'i')} AS id, 1 + i % ${String(T)} AS t,
         1 + abs(hashtext('gl-national:d:' || i)) % ${String(HISTORY_DAYS)} AS d,
         abs(hashtext('gl-national:h:' || i)) AS h
    FROM generate_series(1, ${String(N)}) i
), placed AS (
  SELECT b.*, d <= ${String(PROGRAMME_DAYS)} AS in_programme,
         (d <= 2 OR (d <= 7 AND h % 4 = 0)) AS new_referral
    FROM base b
), ranked AS (
  SELECT p.*, row_number() OVER (PARTITION BY t, in_programme AND NOT new_referral ORDER BY d, i) - 1 AS r
    FROM placed p
)
SELECT i, id, t, d, h, in_programme,
       in_programme AND (new_referral OR r / ${String(W)} >= 20 + (3 * (r % ${String(W)}) + t) % 11) AS waiting,
       CASE WHEN in_programme THEN r % ${String(W)} ELSE h % ${String(W)} END AS w,
       CASE WHEN in_programme THEN 1 + h % (1 + least(4, d / 20))
            ELSE 1 + h % 5 + CASE WHEN h % 3 = 0 THEN 1 ELSE 0 END END AS k,
       '${now}'::timestamptz - ${daysSql('d')} + interval '1 hour' AS referred_at,
       (('${now}'::timestamptz - ${daysSql('d')}) AT TIME ZONE 'Europe/London')::date AS discharged_on,
       '${now}'::timestamptz - ${daysSql('d')} + interval '25 hours' AS a0,
       CASE WHEN in_programme THEN extract(epoch FROM ${daysSql('d')} - interval '25 hours')
            ELSE 88 * 86400 END AS span_s
  FROM ranked;
UPDATE nat_people SET k = 0, w = -1 WHERE waiting;
CREATE INDEX ON nat_people (id);
ANALYZE nat_people;`;
}

/** The worker of team t holding allocation j of k (the last is w; earlier ones others of the team). */
function workerSql(W: number, j: string, alias = 'p'): string {
  return uid(
    'worker',
    `${alias}.t || ':' || CASE WHEN (${j}) >= ${alias}.k - 1 THEN ${alias}.w ELSE (${alias}.w + ${alias}.k - 1 - (${j})) % ${String(W)} END`,
  );
}

/** Which allocation (0…k-1) covered a moment. */
function allocationAt(at: string, alias = 'p'): string {
  return `least(${alias}.k - 1, greatest(0, floor(extract(epoch FROM (${at}) - ${alias}.a0) / (${alias}.span_s / ${alias}.k))::int))`;
}

function participantsSql({ scale, now }: Context): string {
  const G = String(GIVEN_NAMES.length);
  const F = String(FAMILY_NAMES.length);
  return `
INSERT INTO participants (id, trust_id, crisis_team_id, given_name, family_name, preferred_name, date_of_birth,
  nhs_number, email, mobile, phone, address, postcode, contact_methods, safe_contact_times, may_leave_messages,
  discharged_on, discharge_destination, accessibility_needs, safety_information, referred_by, referred_at,
  submission_token, version, reminder_channel, plan_sharing_chosen_at)
SELECT p.id, '${DEMO_TRUST_ID}', ${uid('team', 'p.t')},
       (${textArray(GIVEN_NAMES)})[1 + p.i % ${G}], (${textArray(FAMILY_NAMES)})[1 + (p.i / ${G}) % ${F}],
       CASE WHEN p.i % 7 = 3 THEN left((${textArray(GIVEN_NAMES)})[1 + p.i % ${G}], 3) END,
       make_date(1950 + p.h % 55, 1 + p.i % 12, 1 + p.i % 27),
       CASE WHEN p.i % 4 <> 3 THEN nhs.number END,
       CASE WHEN p.i % 3 = 0 THEN lower((${textArray(GIVEN_NAMES)})[1 + p.i % ${G}]) || '.n' || p.i || '@example.com' END,
       CASE WHEN p.i % 5 <> 4 THEN '+447701' || lpad(p.i::text, 6, '0') END,
       CASE WHEN p.i % 5 = 4 THEN '0113497' || lpad((p.i % 10000)::text, 4, '0') END,
       (p.i % 200 + 1) || ' Example Street, Leeds', 'LS1 4AP',
       CASE WHEN p.i % 5 <> 4 THEN ARRAY['sms', 'phone'] ELSE ARRAY['phone'] END,
       CASE WHEN p.i % 4 = 0 THEN 'Weekdays after 2pm' END, p.i % 2 = 0,
       p.discharged_on, CASE WHEN p.i % 3 = 0 THEN 'gp' ELSE 'cmht' END,
       CASE WHEN p.i % 6 = 1 THEN 'Prefers information read aloud' END,
       CASE WHEN p.i % 8 = 5 THEN 'Dog at home: meet in a public place' END,
       ${uid('clinician', `p.t || ':' || p.i % ${String(scale.cliniciansPerTeam)}`)}, p.referred_at,
       ${uid('p-token', 'p.i')}, 1,
       CASE WHEN p.i % 5 <> 4 AND p.i % 11 <> 7 THEN 'sms' ELSE 'none' END,
       CASE WHEN NOT p.waiting AND p.d > 14 THEN p.referred_at + interval '14 days' END
  FROM nat_people p
  -- NHS numbers in the 999 test range, after the ones the bench and demo use; a check digit of 10
  -- is not a valid number, so that one person has none.
  CROSS JOIN LATERAL (SELECT (999100000 + p.i)::text AS nine) n
  CROSS JOIN LATERAL (
    SELECT 11 - (SELECT sum(substr(n.nine, k, 1)::int * (11 - k)) FROM generate_series(1, 9) k) % 11 AS check_digit
  ) c
  CROSS JOIN LATERAL (
    SELECT CASE WHEN c.check_digit = 10 THEN NULL
                ELSE n.nine || (CASE WHEN c.check_digit = 11 THEN 0 ELSE c.check_digit END)::text END AS number
  ) nhs;

-- Two workers are away today: their participants in the programme wait for a new worker.
UPDATE staff_users SET away_from = ('${now}'::timestamptz AT TIME ZONE 'Europe/London')::date - 3,
                       away_until = ('${now}'::timestamptz AT TIME ZONE 'Europe/London')::date + 10
 WHERE id IN (${uid('worker', `'1:7'`)}, ${uid('worker', `'2:7'`)});`;
}

function allocationsSql({ scale, coordinatorId, now }: Context): string {
  const W = scale.workersPerTeam;
  return `
INSERT INTO allocations (id, participant_id, peer_worker_id, allocated_by, allocated_at, reason, ended_at, ended_by,
                         reallocation_requested_at, reallocation_reason)
SELECT ${uid('a', `p.i || ':' || j`)}, p.id, ${workerSql(W, 'j')}, '${coordinatorId}',
       p.a0 + (p.span_s / p.k) * j * interval '1 second',
       CASE WHEN j > 0 THEN (ARRAY['Previous worker on leave', 'Previous worker left the team',
                                   'Participant asked for a change', 'Caseloads rebalanced'])[1 + (p.h + j) % 4] END,
       CASE WHEN j < p.k - 1 THEN p.a0 + (p.span_s / p.k) * (j + 1) * interval '1 second' END,
       CASE WHEN j < p.k - 1 THEN '${coordinatorId}'::uuid END,
       CASE WHEN j = p.k - 1 AND p.in_programme AND p.t IN (1, 2) AND p.w = 7
            THEN '${now}'::timestamptz - interval '3 days' + interval '9 hours' END,
       CASE WHEN j = p.k - 1 AND p.in_programme AND p.t IN (1, 2) AND p.w = 7 THEN 'Away: annual leave' END
  FROM nat_people p
  CROSS JOIN LATERAL generate_series(0, p.k - 1) j
 WHERE p.k > 0;`;
}

function sessionsSql({ scale, now, sectionKeys }: Context): string {
  const W = scale.workersPerTeam;
  const K = String(sectionKeys.length);
  const keys = textArray(sectionKeys);
  // Weekly from five days after discharge, in working hours (UTC); past ones only.
  const planned = `(date_trunc('day', ('${now}'::timestamptz - ${daysSql('p.d')} + ${daysSql('5 + 7 * s')}) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + (9 + (p.h + s) % 7) * interval '1 hour'`;
  return `
INSERT INTO programme_sessions (id, participant_id, peer_worker_id, booked_by, booked_at, planned_at, mode, place,
  status, status_reason, duration_minutes, sections, story_sharing, note, follow_ups, recorded_by, recorded_at,
  submission_token, version, is_ending)
SELECT ${uid('s', `p.i || ':' || x.s`)}, p.id, x.worker, x.worker, x.planned_at - interval '6 days', x.planned_at,
       (ARRAY['in_person', 'phone', 'in_person', 'video', 'in_person'])[1 + (p.h + x.s) % 5],
       (ARRAY['home', NULL, 'community_venue', NULL, 'nhs_site'])[1 + (p.h + x.s) % 5],
       x.status,
       CASE x.status WHEN 'did_not_attend' THEN 'unwell' WHEN 'cancelled_by_participant' THEN 'life_event' END,
       CASE WHEN x.status = 'attended' THEN 35 + ((p.h % 1000) * 7 + x.s * 11) % 6 * 5 END,
       CASE WHEN x.status = 'attended'
            THEN ARRAY[(${keys})[1 + (2 * x.s) % ${K}], (${keys})[1 + (2 * x.s + 1) % ${K}]] ELSE '{}' END,
       CASE WHEN x.status = 'attended' THEN (p.h + x.s) % 3 <> 1 END,
       CASE WHEN x.status = 'attended' THEN (${textArray(NOTES)})[1 + (p.h + x.s) % ${String(NOTES.length)}] END,
       CASE WHEN x.status = 'attended' AND x.s % 2 = 0 THEN 'Try the plan section at home before next time' END,
       CASE WHEN x.status <> 'planned' THEN x.worker END,
       CASE WHEN x.status <> 'planned' THEN x.planned_at + interval '3 hours' END,
       ${uid('s-token', `p.i || ':' || x.s`)}, 1,
       NOT p.in_programme AND x.s = x.last AND p.h % 20 < 14
  FROM nat_people p
  CROSS JOIN LATERAL (
    SELECT CASE WHEN p.in_programme THEN least(11, floor((p.d - 6) / 7.0)::int) ELSE 6 + p.h % 6 END AS last
  ) n
  CROSS JOIN LATERAL generate_series(0, n.last) s
  CROSS JOIN LATERAL (SELECT ${planned} AS planned_at) t
  CROSS JOIN LATERAL (
    SELECT s, n.last, t.planned_at, ${workerSql(W, allocationAt('t.planned_at'))} AS worker,
           CASE WHEN p.in_programme AND s = n.last AND p.h % 9 = 4 THEN 'planned'
                WHEN (p.h + s) % 6 = 2 THEN 'did_not_attend'
                WHEN (p.h + s) % 8 = 5 THEN 'cancelled_by_participant'
                ELSE 'attended' END AS status
  ) x
 WHERE p.k > 0 AND n.last >= 0;

-- The next session, booked for most people in the programme.
INSERT INTO programme_sessions (id, participant_id, peer_worker_id, booked_by, booked_at, planned_at, mode, place,
  status, submission_token, version)
SELECT ${uid('s', `p.i || ':next'`)}, p.id, ${uid('worker', `p.t || ':' || p.w`)}, ${uid('worker', `p.t || ':' || p.w`)},
       '${now}'::timestamptz - interval '2 days',
       (date_trunc('day', ('${now}'::timestamptz + ${daysSql('1 + p.h % 6')}) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
         + (9 + p.h % 7) * interval '1 hour',
       'phone', NULL, 'planned', ${uid('s-token', `p.i || ':next'`)}, 1
  FROM nat_people p
 WHERE p.in_programme AND p.k > 0 AND p.h % 4 <> 3;`;
}

function endingsSql({ scale }: Context): string {
  return `
INSERT INTO programme_endings (participant_id, reason, ended_on, sessions_attended, sections, onward_support,
                               message, share_consent, recorded_by, recorded_at, version)
SELECT p.id,
       CASE WHEN p.h % 20 < 14 THEN 'completed' WHEN p.h % 20 < 17 THEN 'window_expired'
            WHEN p.h % 20 = 17 THEN 'participant_ended' WHEN p.h % 20 = 18 THEN 'lost_contact' ELSE 'readmitted' END,
       p.discharged_on + 88, coalesce(a.attended, 0), ARRAY['moving_on', 'keeping_well'],
       CASE WHEN p.h % 3 = 0 THEN 'Walking group on Tuesdays; GP review in a month' END,
       CASE WHEN p.h % 2 = 0 THEN 'It has been good working with you. Keep your plan somewhere you can find it.' END,
       (ARRAY['yes', 'no', 'not_asked'])[1 + p.h % 3],
       ${uid('worker', `p.t || ':' || p.w`)}, (p.discharged_on + 89)::timestamp AT TIME ZONE 'UTC' + interval '10 hours', 1
  FROM nat_people p
  LEFT JOIN (SELECT ps.participant_id, count(*) FILTER (WHERE ps.status = 'attended')::int AS attended
               FROM programme_sessions ps JOIN nat_people q ON q.id = ps.participant_id
              WHERE NOT q.in_programme GROUP BY ps.participant_id) a ON a.participant_id = p.id
 WHERE NOT p.in_programme AND p.k > 0;
-- (${String(scale.participants)} participants; those in the programme have no ending yet.)`;
}

/**
 * Equality monitoring answers for about 7 in 10 participants (the rest never answered), spread
 * over every code, a few "prefer not to say", so the reports' breakdowns have groups of every size.
 */
function equalitySql({ now }: Context): string {
  const pick = (codes: string[], salt: string) =>
    `(${textArray(codes)})[1 + abs(hashtext('gl-national:${salt}:' || p.i)) % ${String(codes.length)}]`;
  return `
INSERT INTO equality_monitoring (participant_id, trust_id, ethnicity, gender, first_language, first_language_name,
                                 interpreter_needed, disability, recorded_by, recorded_at)
SELECT p.id, '${DEMO_TRUST_ID}',
       ${pick(['A', 'A', 'A', 'A', 'A', 'A', 'B', 'C', 'C', 'D', 'E', 'F', 'G', 'H', 'H', 'J', 'J', 'K', 'L', 'M', 'N', 'N', 'P', 'R', 'S', 'Z'], 'eth')},
       ${pick(['1', '2', '2', '1', '3', '4', 'Z'], 'gen')},
       ${pick(['english', 'english', 'english', 'english', 'english', 'english', 'other', 'prefer_not_to_say'], 'lang')},
       NULL,
       ${pick(['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'prefer_not_to_say'], 'int')},
       ${pick(['no', 'no', 'yes', 'prefer_not_to_say'], 'dis')},
       NULL, '${now}'::timestamptz - ${daysSql('p.d')}
  FROM nat_people p
 WHERE abs(hashtext('gl-national:eq:' || p.i)) % 10 < 7;`;
}

function contactAttemptsSql({ scale, now }: Context): string {
  const W = scale.workersPerTeam;
  return `
INSERT INTO contact_attempts (id, participant_id, made_by, made_at, method, outcome, reached, note, recorded_at,
                              submission_token)
SELECT ${uid('ca', `p.i || ':' || x.q`)}, p.id, ${workerSql(W, allocationAt('x.made_at'))}, x.made_at,
       (ARRAY['phone', 'text', 'email', 'visit', 'phone', 'text'])[1 + (p.h + x.q) % 6],
       x.outcome, x.outcome IN ('spoke', 'reply_received'),
       CASE WHEN x.q % 3 = 0 THEN 'Checked in between sessions' END,
       x.made_at + interval '15 minutes', ${uid('ca-token', `p.i || ':' || x.q`)}
  FROM nat_people p
  CROSS JOIN LATERAL generate_series(0, p.h % 6 - 1) q
  CROSS JOIN LATERAL (
    SELECT q, p.a0 + ${daysSql('3 + 11 * q + p.h % 5')} + (p.h % 7) * interval '1 hour' AS made_at,
           (ARRAY['spoke', 'no_answer', 'message_left', 'reply_received', 'no_answer', 'spoke', 'wrong_number'])[1 + (p.h + 3 * q) % 7] AS outcome
  ) x
 WHERE p.k > 0 AND x.made_at < '${now}'::timestamptz - interval '1 hour';`;
}

function concernsSql({ scale, now }: Context): string {
  const W = scale.workersPerTeam;
  const C = String(scale.cliniciansPerTeam);
  return `
CREATE TEMP TABLE nat_concerns ON COMMIT DROP AS
SELECT p.i, x.q, ${uid('c', `p.i || ':' || x.q`)} AS id, p.id AS participant_id, p.t,
       ${workerSql(W, allocationAt('x.raised_at'))} AS raised_by, x.raised_at, x.kind, x.urgency,
       ${uid('clinician', `p.t || ':' || (p.h + x.q) % ${C}`)} AS clinician,
       CASE WHEN x.raised_at > '${now}'::timestamptz - interval '3 days'
            THEN CASE WHEN (p.h + x.q) % 3 = 0 THEN 'open' ELSE 'acknowledged' END ELSE 'closed' END AS status,
       x.raised_at + CASE x.urgency WHEN 'immediate' THEN interval '15 minutes' WHEN 'urgent' THEN interval '60 minutes'
                                    ELSE interval '3 days' END AS acknowledge_by,
       x.raised_at + CASE WHEN x.urgency = 'routine' THEN (1 + (p.h + x.q) % 48) * interval '1 hour'
                          ELSE (3 + (p.h + 5 * x.q) % 90) * interval '1 minute' END AS acknowledged_at,
       p.h
  FROM nat_people p
  CROSS JOIN LATERAL generate_series(0, (p.h / 7) % 5 + CASE WHEN p.h % 7 = 0 THEN 0 ELSE -1 END) q
  CROSS JOIN LATERAL (
    -- Over the programme's 88 days, as far as it has gone: the same rate of concerns every day.
    SELECT q, p.a0 + ${daysSql(`(p.h / 13 + 17 * q) % 87`)}
                 + (9 + q) * interval '1 hour' + (p.h % 60) * interval '1 minute' AS raised_at,
           CASE WHEN (p.h + q) % 10 < 3 THEN 'advice' ELSE 'concern' END AS kind,
           CASE WHEN (p.h + q) % 10 < 3 THEN CASE WHEN (p.h + q) % 2 = 0 THEN 'urgent' ELSE 'routine' END
                WHEN (p.h + 7 * q) % 20 = 0 THEN 'immediate'
                WHEN (p.h + 7 * q) % 20 < 8 THEN 'urgent' ELSE 'routine' END AS urgency
  ) x
 WHERE p.k > 0 AND x.raised_at < '${now}'::timestamptz - interval '10 minutes';

INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency, what_happened,
  called_999_at, participant_knows, acknowledge_by, status, acknowledged_by, acknowledged_at, action, action_note,
  closed_by, closed_at, version, submission_token)
SELECT c.id, c.kind, c.participant_id, ${uid('team', 'c.t')}, c.raised_by, c.raised_at, c.urgency,
       (${textArray(WHAT_HAPPENED)})[1 + (c.h + c.q) % ${String(WHAT_HAPPENED.length)}],
       CASE WHEN c.urgency = 'immediate' THEN c.raised_at + interval '2 minutes' END,
       (ARRAY['yes', 'no', 'not_yet'])[1 + (c.h + c.q) % 3],
       c.acknowledge_by, c.status,
       CASE WHEN c.status <> 'open' THEN c.clinician END,
       CASE WHEN c.status <> 'open' THEN c.acknowledged_at END,
       CASE WHEN c.status = 'closed' THEN a.action END,
       CASE WHEN c.status = 'closed' AND a.action = 'no_action' THEN 'Discussed at handover: no further action needed' END,
       CASE WHEN c.status = 'closed' THEN c.clinician END,
       CASE WHEN c.status = 'closed' THEN c.acknowledged_at + (1 + c.h % 20) * interval '1 hour' END,
       CASE c.status WHEN 'open' THEN 1 WHEN 'acknowledged' THEN 2 ELSE 3 END,
       ${uid('c-token', `c.i || ':' || c.q`)}
  FROM nat_concerns c
  CROSS JOIN LATERAL (
    SELECT (ARRAY['called_participant', 'arranged_visit', 'advised_worker', 'referred_on', 'no_action'])[1 + (c.h + c.q) % 5] AS action
  ) a;

-- A clinician's reply on each answered advice request, read by the worker who asked.
INSERT INTO safety_concern_messages (id, concern_id, written_by, written_at, body, submission_token)
SELECT ${uid('cm', `c.i || ':' || c.q`)}, c.id, c.clinician, c.acknowledged_at + interval '10 minutes',
       'Thanks for asking. Suggest you talk it through with them at the next session and let us know.',
       ${uid('cm-token', `c.i || ':' || c.q`)}
  FROM nat_concerns c WHERE c.kind = 'advice' AND c.status <> 'open';
INSERT INTO safety_concern_reads (concern_id, reader_id, read_at)
SELECT c.id, c.raised_by, c.acknowledged_at + interval '2 hours'
  FROM nat_concerns c WHERE c.kind = 'advice' AND c.status = 'closed';

-- The first escalation step where the acknowledgement came after the deadline.
INSERT INTO safety_escalations (id, concern_id, step, step_kind, escalated_at, recipients)
SELECT ${uid('ce', `c.i || ':' || c.q`)}, c.id, 1, 'duty_contact', c.acknowledge_by,
       ARRAY['duty.area' || c.t || '@nhs.example']
  FROM nat_concerns c
 WHERE c.acknowledged_at > c.acknowledge_by AND (c.status <> 'open' OR c.acknowledge_by < '${now}'::timestamptz);`;
}

function userSessionsSql({ scale, now }: Context): string {
  const { userSessions: M, teams: T, workersPerTeam: W, participants: N } = scale;
  return `
INSERT INTO user_sessions (id_hash, subject_type, subject_id, stage, created_at, last_seen_at, absolute_expires_at,
                           ended_at, ip)
SELECT encode(sha256(convert_to('gl-national:us:' || i, 'UTF8')), 'hex'),
       CASE WHEN i % 3 = 0 THEN 'participant' ELSE 'staff' END,
       CASE WHEN i % 3 = 0 THEN ${uid('p', `1 + i % ${String(N)}`)}
            ELSE ${uid('worker', `1 + i % ${String(T)} || ':' || (i / ${String(T)}) % ${String(W)}`)} END,
       'full', x.created_at, x.created_at + interval '40 minutes', x.created_at + interval '12 hours',
       x.created_at + interval '45 minutes', '10.30.' || (i % 250) || '.' || (i / 250 % 250)
  FROM generate_series(1, ${String(M)}) i
  CROSS JOIN LATERAL (SELECT '${now}'::timestamptz - ${daysSql(`i % 30`)} - (1 + i % 10) * interval '1 hour' AS created_at) x;`;
}

/**
 * The fields of audit event number g (0-based among the bulk) and its canonical body, as
 * audit-chain.ts's eventBody makes it: keys sorted, no spaces, occurredAt in ISO with ms.
 */
function auditFieldsSql(
  g: string,
  { scale }: Context,
  base: number,
  start: string,
  stepSeconds: number,
): string {
  const { participants: N, teams: T, workersPerTeam: W, cliniciansPerTeam: C } = scale;
  const pid = uid('p', 'v.p');
  const worker = uid('worker', `v.t || ':' || v.g % ${String(W)}`);
  const clinician = uid('clinician', `v.t || ':' || v.g % ${String(C)}`);
  return `
    SELECT v.seq, v.ts AS occurred_at, a.actor_type, a.actor_id, a.action, a.entity_type, a.entity_id, v.ip,
           a.detail::jsonb AS detail,
           '{"action":"' || a.action || '","actorId":"' || a.actor_id || '","actorType":"' || a.actor_type
             || '","detail":' || a.detail || ',"entityId":"' || a.entity_id || '","entityType":"' || a.entity_type
             || '","ip":"' || v.ip || '","occurredAt":"'
             || to_char(v.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}' AS body
      FROM (SELECT gg AS g, ${String(base)} + gg + 1 AS seq,
                   '${start}'::timestamptz + gg * ${String(stepSeconds)} * interval '1 second' AS ts,
                   1 + (gg * 7919) % ${String(N)} AS p, 1 + ((1 + (gg * 7919) % ${String(N)}) % ${String(T)}) AS t,
                   gg % 20 AS kind, '10.20.' || (gg % 250) || '.' || (gg / 250 % 250) AS ip
              FROM (SELECT (${g})::bigint AS gg) g0) v
     CROSS JOIN LATERAL (
       SELECT CASE WHEN v.kind = 17 THEN 'participant' ELSE 'staff' END AS actor_type,
              (CASE WHEN v.kind = 17 THEN ${pid} WHEN v.kind IN (18, 19) THEN ${clinician} ELSE ${worker} END)::text AS actor_id,
              CASE WHEN v.kind < 8 THEN 'participant.viewed' WHEN v.kind < 10 THEN 'caseload.viewed'
                   WHEN v.kind < 12 THEN 'session.recorded' WHEN v.kind = 12 THEN 'session.booked'
                   WHEN v.kind = 13 THEN 'contact.recorded' WHEN v.kind = 14 THEN 'staff.signed_in'
                   WHEN v.kind = 15 THEN 'plan.viewed' WHEN v.kind = 16 THEN 'concern.viewed'
                   WHEN v.kind = 17 THEN 'participant.signed_in' WHEN v.kind = 18 THEN 'referrals.listed'
                   ELSE 'concerns.inbox_viewed' END AS action,
              CASE WHEN v.kind < 8 OR v.kind IN (13, 15, 17) THEN 'participant' WHEN v.kind IN (8, 9, 14) THEN 'staff'
                   WHEN v.kind < 13 THEN 'programme_session' WHEN v.kind = 16 THEN 'safety_concern'
                   WHEN v.kind = 18 THEN 'crisis_team' ELSE 'crisis_team' END AS entity_type,
              (CASE WHEN v.kind < 8 OR v.kind IN (13, 15, 17) THEN ${pid} WHEN v.kind IN (8, 9, 14) THEN ${worker}
                    WHEN v.kind < 13 THEN ${uid('s', `v.p || ':0'`)} WHEN v.kind = 16 THEN ${uid('c', `v.p || ':0'`)}
                    ELSE ${uid('team', 'v.t')} END)::text AS entity_id,
              CASE WHEN v.kind < 8 THEN '{"page":"summary"}'
                   WHEN v.kind < 10 THEN '{"participantIds":["' || ${pid} || '"]}'
                   WHEN v.kind < 13 OR v.kind = 16 THEN '{"participantId":"' || ${pid} || '"}'
                   WHEN v.kind = 13 THEN '{"outcome":"spoke"}'
                   WHEN v.kind = 14 THEN '{"method":"password"}'
                   WHEN v.kind = 17 THEN '{"method":"code"}'
                   WHEN v.kind = 18 THEN '{"view":"team"}'
                   WHEN v.kind = 19 THEN '{"shown":' || (v.g % 40) || '}'
                   ELSE '{}' END AS detail
     ) a`;
}

/** One statement: events for steps [from, to) of every chain, each linked to the one before in its chain. */
function auditBatchSql(
  context: Context,
  pads: { inner: string; outer: string },
  from: number,
  to: number,
  base: number,
  start: string,
  stepSeconds: number,
): string {
  const fields = (g: string) => auditFieldsSql(g, context, base, start, stepSeconds);
  const mac = (body: string) =>
    `encode(sha256('\\x${pads.outer}'::bytea || sha256('\\x${pads.inner}'::bytea || convert_to(${body}, 'UTF8'))), 'hex')`;
  const hash = (prev: string) =>
    `encode(sha256(convert_to(${prev} || E'\\n' || e.seq::text || E'\\n' || ${mac('e.body')}, 'UTF8')), 'hex')`;
  const columns =
    'e.seq, e.occurred_at, e.actor_type, e.actor_id, e.action, e.entity_type, e.entity_id, e.ip, e.detail';
  return `
WITH RECURSIVE w (n, c, prev, hash, seq, occurred_at, actor_type, actor_id, action, entity_type, entity_id, ip, detail) AS (
  SELECT ${String(from)}, c, head.prev, ${hash('head.prev')}, ${columns}
    FROM generate_series(0, ${String(CHAINS - 1)}) c
   CROSS JOIN LATERAL (
     SELECT coalesce((SELECT a.hash FROM audit_events a WHERE a.chain = c ORDER BY a.seq DESC LIMIT 1), repeat('0', 64)) AS prev
   ) head
   CROSS JOIN LATERAL (${fields(`${String(from)}::bigint * ${String(CHAINS)} + c`)}) e
  UNION ALL
  SELECT w.n + 1, w.c, w.hash, ${hash('w.hash')}, ${columns}
    FROM w CROSS JOIN LATERAL (${fields(`(w.n + 1)::bigint * ${String(CHAINS)} + w.c`)}) e
   WHERE w.n + 1 < ${String(to)}
)
INSERT INTO audit_events (seq, chain, occurred_at, actor_type, actor_id, action, entity_type, entity_id, ip, detail,
                          prev_hash, hash, keyed)
SELECT seq, c, occurred_at, actor_type, actor_id::uuid, action, entity_type, entity_id, ip, detail, prev, hash, true
  FROM w;`;
}

async function count(connection: ScriptConnection, sql: string): Promise<number> {
  const [row] = await connection.query<{ n: number | string }>(sql);
  return Number(row?.n ?? 0);
}

/**
 * Adds the national data set to a database prepared by prepareData (the demo seed and the bench
 * data), signed with the key the server will start with. The caller closes the database.
 */
export async function addNationalData(
  database: Database,
  options: { now: Date; auditKey: AuditKey; scale?: NationalScale; log?: (line: string) => void },
): Promise<NationalData> {
  const scale = options.scale ?? NATIONAL_SCALE;
  const started = performance.now();
  const steps: { name: string; ms: number }[] = [];
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    const result = await work();
    steps.push({ name, ms: performance.now() - at });
    options.log?.(`    ${name}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
    return result;
  };
  const [accounts] = await database.scriptTransaction((c) =>
    c.query<{ coordinator: string | null; supervisor: string | null; clinician: string }>(
      `SELECT (SELECT id FROM staff_users WHERE email = 'coordinator@demo.greenleaf.nhs.uk') AS coordinator,
              (SELECT id FROM staff_users WHERE email = 'supervisor.north@demo.greenleaf.nhs.uk') AS supervisor,
              ${uid('clinician', `'1:0'`)}::text AS clinician`,
    ),
  );
  const coordinatorId = accounts?.coordinator;
  const supervisorId = accounts?.supervisor;
  if (!accounts || !coordinatorId || !supervisorId)
    throw new Error('the demo coordinator or supervisor is missing: prepare the bench data first');
  const context: Context = {
    scale,
    now: options.now.toISOString(),
    coordinatorId,
    passwordHash: await hashPassword(DEMO_PASSWORD),
    sectionKeys: loadPlanTemplates().enabledSections.map((section) => section.key),
  };

  const counts: Record<string, number> = {};
  let waiting = 0;
  await database.scriptTransaction(async (connection) => {
    // A bulk load: row triggers off for this transaction (each caseload's version would be bumped
    // once per row: sessions alone took 280 s instead of 20). The server starts after it with
    // nothing remembered, so no kept caseload can predate the data.
    await connection.exec('SET LOCAL session_replication_role = replica');
    await step('teams and staff', () => connection.exec(teamsAndStaff(context)));
    await step('participants', async () => {
      await connection.exec(people(context));
      await connection.exec(participantsSql(context));
    });
    await step('allocations', () => connection.exec(allocationsSql(context)));
    // Never allocated, or their worker is away and a new one was asked for.
    waiting = await count(
      connection,
      `SELECT (SELECT count(*) FROM nat_people WHERE waiting)
            + (SELECT count(*) FROM allocations a JOIN nat_people p ON p.id = a.participant_id
                WHERE a.ended_at IS NULL AND a.reallocation_requested_at IS NOT NULL) AS n`,
    );
    await step('programme sessions', () => connection.exec(sessionsSql(context)));
    await step('programme endings', () => connection.exec(endingsSql(context)));
    await step('equality monitoring', () => connection.exec(equalitySql(context)));
    await step('contact attempts', () => connection.exec(contactAttemptsSql(context)));
    await step('safety concerns', () => connection.exec(concernsSql(context)));
    await step('sign-in sessions', () => connection.exec(userSessionsSql(context)));
    // The triggers that keep it are off for this load (replica), so it is worked out once here,
    // by the same function they call.
    await step('participant progress', () =>
      connection.exec(`SELECT refresh_participant_progress(ARRAY(SELECT id FROM nat_people))`),
    );
    await step('audit events (signed, chained)', async () => {
      const perChain = Math.ceil(scale.auditEvents / CHAINS);
      const base = await count(
        connection,
        'SELECT greatest(coalesce(max(seq), 0), (SELECT last_value FROM audit_events_seq_seq)) AS n FROM audit_events',
      );
      const stepSeconds = Math.max(1, Math.floor((HISTORY_DAYS * 86_400) / (perChain * CHAINS)));
      // Whole seconds from a start with whole milliseconds: every event's time has ms precision.
      const start = new Date(options.now.getTime() - perChain * CHAINS * stepSeconds * 1000).toISOString();
      const pads = hmacPads(options.auditKey);
      for (let from = 0; from < perChain; from += AUDIT_STEPS_PER_STATEMENT) {
        const to = Math.min(perChain, from + AUDIT_STEPS_PER_STATEMENT);
        await connection.exec(auditBatchSql(context, pads, from, to, base, start, stepSeconds));
      }
      await connection.exec(`SELECT setval('audit_events_seq_seq', (SELECT max(seq) FROM audit_events))`);
    });
    for (const [name, table] of [
      ['participants', 'participants'],
      ['allocations', 'allocations'],
      ['programme sessions', 'programme_sessions'],
      ['programme endings', 'programme_endings'],
      ['equality monitoring', 'equality_monitoring'],
      ['participant progress', 'participant_progress'],
      ['contact attempts', 'contact_attempts'],
      ['safety concerns', 'safety_concerns'],
      ['sign-in sessions', 'user_sessions'],
      ['audit events', 'audit_events'],
    ] as const)
      counts[name] = await count(connection, `SELECT count(*) AS n FROM ${table}`);
  });
  // As autovacuum would leave them: statistics, and the visibility map for index-only scans.
  await step('VACUUM ANALYZE', () => database.execScript('VACUUM ANALYZE'));
  return {
    counts,
    steps,
    ms: performance.now() - started,
    accounts: { coordinatorId, supervisorId, dutyClinicianId: accounts.clinician },
    waiting,
  };
}
