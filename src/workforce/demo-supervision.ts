/**
 * The demo trust's supervision: Pat's last 1:1 with Sunita three weeks ago, the next booked;
 * Rob's last 1:1 six weeks ago, so it is overdue; a North group session last week; the South
 * workers' group three weeks ago, so theirs is overdue; Steve's and Jess's 1:1s with notes.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import type { SupervisionRepository } from './supervision.repository.ts';
import { loadFidelity } from './fidelity.ts';

/** The fidelity file's items, in order. */
const FIDELITY_ITEMS = loadFidelity().items.map((item) => item.key);

export interface DemoSupervisionPeople {
  trustId: string;
  sunita: string;
  steve: string;
  pat: string;
  rob: string;
  jess: string;
  kim: string;
  nat: string;
}

export async function seedDemoSupervision(
  db: Db,
  store: Pick<SupervisionRepository, 'insert'>,
  p: DemoSupervisionPeople,
  now: Date,
): Promise<void> {
  const today = ukToday(now);
  const base = { trustId: p.trustId, recordedAt: now, facilitator: null, themes: [], nextOn: null };
  const oneToOne = async (
    workerId: string,
    supervisorId: string,
    daysAgo: number,
    notes: string,
    actions: [string, number][],
    nextInDays?: number,
    /** Fidelity scores, in the order of the fidelity file's items (1 to 4). */
    scores: number[] = [],
  ) => {
    const id = randomUUID();
    await store.insert(
      db,
      {
        ...base,
        id,
        kind: 'one_to_one',
        heldOn: addDays(today, -daysAgo),
        durationMinutes: 60,
        workerId,
        supervisorId,
        notes,
        nextOn: nextInDays === undefined ? null : addDays(today, nextInDays),
        recordedBy: supervisorId,
        submissionToken: randomUUID(),
      },
      [],
      actions.map(([action, dueInDays], i) => ({
        id: randomUUID(),
        sessionId: id,
        position: i + 1,
        action,
        dueOn: addDays(today, dueInDays),
      })),
      scores.map((score, i) => ({ itemKey: FIDELITY_ITEMS[i] ?? '', score })).filter((r) => r.itemKey !== ''),
    );
  };
  await oneToOne(
    p.pat,
    p.sunita,
    80,
    'First months: getting used to sharing her story.',
    [],
    undefined,
    [3, 2, 3, 3, 2, 2, 3, 2],
  );
  await oneToOne(
    p.pat,
    p.sunita,
    50,
    'More confident; working on community connections.',
    [],
    undefined,
    [3, 3, 3, 3, 3, 3, 3, 2],
  );
  await oneToOne(
    p.pat,
    p.sunita,
    20,
    'Talked through ending well with two people near their tenth session. Pat finds endings hard and is planning each one early. Feeling settled in the role.',
    [
      ['Book the planned ending sessions a month ahead', 5],
      ['Try the community resources list with one participant', 12],
    ],
    10,
    [4, 3, 4, 3, 3, 3, 4, 3],
  );
  await oneToOne(
    p.rob,
    p.sunita,
    45,
    'Rob wants to build confidence sharing his own story. Agreed to practise in group supervision.',
    [['Bring a story-sharing example to group supervision', -20]],
    undefined,
    [3, 2, 3, 4, 2, 3, 3, 3],
  );
  await oneToOne(
    p.steve,
    p.sunita,
    28,
    'Supervising and carrying a caseload: agreed Steve keeps his caseload at six.',
    [],
    undefined,
    [4, 4, 3, 4, 3, 4, 3, 3],
  );
  await oneToOne(
    p.jess,
    p.steve,
    12,
    'A bereavement in a session brought back Jess’s own. Talked about boundaries and looking after herself.',
    [['Use the wellbeing request if a session stays with her', 30]],
    undefined,
    [3, 4, 4, 3, 4, 3, 4, 3],
  );
  await oneToOne(
    p.kim,
    p.steve,
    25,
    'Kim’s personal safety training has run out; she is booked on the next course.',
    [['Complete personal safety and lone working training', 14]],
    undefined,
    [4, 3, 4, 4, 3, 3, 4, 4],
  );
  const group = async (
    daysAgo: number,
    attendees: string[],
    themes: string[],
    facilitator: string,
    notes: string,
  ) =>
    store.insert(
      db,
      {
        ...base,
        id: randomUUID(),
        kind: 'group',
        heldOn: addDays(today, -daysAgo),
        durationMinutes: 90,
        workerId: null,
        supervisorId: null,
        facilitator,
        themes,
        notes,
        recordedBy: p.sunita,
        submissionToken: randomUUID(),
      },
      attendees,
      [],
    );
  await group(
    7,
    [p.pat, p.rob, p.nat],
    ['Sharing your own story', 'Boundaries and disclosure'],
    'Sunita Supervisor',
    'How much of our own story to share, and when. Nat joined for the first time.',
  );
  await group(
    21,
    [p.jess, p.kim, p.steve],
    ['Endings and moving on'],
    'Recovery College facilitator',
    'Planning endings from the first session.',
  );
}
