/**
 * The demo trust's training records (issue 15's demo story): most workers fully trained, one
 * whose annual data security training runs out within the month (Rob), one whose personal
 * safety training has run out while she still supports people (Kim: nobody is taken away from
 * her, she just takes no one new), and a new starter part-way through the course and checks
 * (Nat), who cannot take participants yet.
 */
import { addDays, addMonths, ukToday } from '../platform/calendar/uk-time.ts';
import type { Db } from '../platform/database/database.ts';
import type { TrainingCatalogue } from './training-catalogue.ts';
import { trainingRows } from './full-training.ts';
import type { TrainingRepository } from './training.repository.ts';

export interface DemoWorkers {
  trustId: string;
  coordinator: string;
  supervisor: string;
  trained: { id: string; name: 'Pat' | 'Rob' | 'Jess' | 'Kim' | 'Steve' }[];
  newStarter: string;
}

export async function seedDemoTraining(
  db: Db,
  store: Pick<TrainingRepository, 'insertMany'>,
  catalogue: TrainingCatalogue,
  workers: DemoWorkers,
  now: Date,
): Promise<void> {
  const today = ukToday(now);
  const monthsAgo = (months: number) => addMonths(today, -months);
  for (const { id, name } of workers.trained) {
    const { records, checks } = trainingRows(catalogue, {
      trustId: workers.trustId,
      staffId: id,
      recordedBy: workers.coordinator,
      recordedAt: now,
      doneOn: (item) => {
        if (item.key === 'data_security') return name === 'Rob' ? addDays(monthsAgo(12), 12) : monthsAgo(3);
        if (item.key === 'personal_safety' && name === 'Kim') return addDays(monthsAgo(36), -20);
        if (item.key === 'top_up_day_2' && name !== 'Jess') return null;
        if (item.key === 'experienced_worker_visit' && name === 'Pat') return null;
        // Kim has worked here longest: her course was years ago, her renewals since.
        return monthsAgo(name === 'Kim' && item.renewalMonths === null ? 40 : 8);
      },
      checksOn: () => monthsAgo(9),
    });
    await store.insertMany(db, records, checks);
  }
  // Nat: four days into the course, induction half done; references and DBS back, not the rest.
  const started = addDays(today, -10);
  const course = [
    'meaning_of_peer_support',
    'core_skills',
    'peer_support_skills',
    'boundaries_and_disclosure',
  ];
  const { records, checks } = trainingRows(catalogue, {
    trustId: workers.trustId,
    staffId: workers.newStarter,
    recordedBy: workers.supervisor,
    recordedAt: now,
    doneOn: (item) =>
      course.includes(item.key)
        ? addDays(started, course.indexOf(item.key))
        : item.key === 'safeguarding'
          ? started
          : null,
    checksOn: (kind) => (kind === 'dbs' || kind === 'references' ? addDays(today, -30) : null),
  });
  await store.insertMany(db, records, checks);
}
