/**
 * The trial's follow-up time points as data (`follow-up-schedule.json`, checked at start-up with
 * the instruments it names): months after randomisation and the window around each, worked out in
 * UK calendar dates (never milliseconds), and where a randomised person's follow-up stands
 * (pure: `followUpState`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile } from '../platform/data-file.ts';
import { addDays, addMonths, ukToday } from '../platform/calendar/uk-time.ts';
import type { Instrument } from './instruments.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'follow-up-schedule.json');

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    timePoints: z
      .array(
        z.strictObject({
          key: dataKey,
          title: z.string().trim().min(1).max(60),
          monthsAfterRandomisation: z.number().int().min(1).max(120),
          opensWeeksBefore: z.number().int().min(0).max(26),
          closesWeeksAfter: z.number().int().min(0).max(52),
          instruments: z.array(z.string().min(1)).min(1).max(10),
        }),
      )
      .min(1)
      .max(12),
  })
  .superRefine((file, ctx) => {
    const keys = file.timePoints.map((t) => t.key);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `time point "${twice}" appears twice` });
  });

export type TimePoint = z.infer<typeof schema>['timePoints'][number];

export interface FollowUpSchedule {
  timePoints: (TimePoint & { asked: Instrument[] })[];
}

/** Checks the schedule against the instruments loaded: each it names must be there, their items' linkIds apart. */
export function parseFollowUpSchedule(
  json: unknown,
  instruments: ReadonlyMap<string, Instrument>,
  source = 'follow-up schedule',
): FollowUpSchedule {
  const file = parseDataFile(schema, json, source);
  return {
    timePoints: file.timePoints.map((t) => {
      const asked = t.instruments.map((canonical) => {
        const found = instruments.get(canonical);
        if (!found)
          throw new Error(
            `${source} is not valid: time point "${t.key}" asks ${canonical}, which is not in src/trial/instruments/`,
          );
        return found;
      });
      return { ...t, asked };
    }),
  };
}

export function loadFollowUpSchedule(
  instruments: ReadonlyMap<string, Instrument>,
  file = FILE,
): FollowUpSchedule {
  return parseFollowUpSchedule(loadDataFile(z.unknown(), file), instruments, file);
}

export interface Window {
  /** The date the time point falls on: randomisation's UK date plus its months. */
  target: string;
  opens: string;
  /** The last day it counts. */
  closes: string;
}

export function windowOf(timePoint: TimePoint, randomisedAt: Date): Window {
  const target = addMonths(ukToday(randomisedAt), timePoint.monthsAfterRandomisation);
  return {
    target,
    opens: addDays(target, -7 * timePoint.opensWeeksBefore),
    closes: addDays(target, 7 * timePoint.closesWeeksAfter),
  };
}

export const FOLLOW_UP_STATES = ['overdue', 'due', 'upcoming', 'done', 'not_done', 'withdrawn'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

/**
 * Where one time point stands: what was recorded, if anything; else withdrawn from follow-up
 * (never chased); else by the window: upcoming, due while open, overdue once closed.
 */
export function followUpState(a: {
  window: Window;
  today: string;
  recorded: 'done' | 'not_done' | null;
  withdrawnFromFollowUp: boolean;
}): FollowUpState {
  if (a.recorded) return a.recorded;
  if (a.withdrawnFromFollowUp) return 'withdrawn';
  if (a.today < a.window.opens) return 'upcoming';
  return a.today <= a.window.closes ? 'due' : 'overdue';
}

/** What can still be done about it: chasing only while due or overdue. */
export const mayBeChased = (state: FollowUpState) => state === 'due' || state === 'overdue';
