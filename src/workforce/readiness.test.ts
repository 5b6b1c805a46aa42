import { describe, expect, it } from 'vitest';
import { loadTrainingCatalogue, parseCatalogue } from './training-catalogue.ts';
import {
  expiryOf,
  notReadyReason,
  readinessOf,
  type LatestCheck,
  type LatestCompletion,
} from './readiness.ts';
import { CHECK_KINDS } from './training-catalogue.ts';

const catalogue = loadTrainingCatalogue();
const TODAY = '2026-12-04';

const allDone = (on: string, skip: string[] = []): LatestCompletion[] =>
  catalogue.items
    .filter((item) => !skip.includes(item.key))
    .map((item) => ({ staffId: 'w', itemKey: item.key, completedOn: on }));
const allChecks = (on: string): LatestCheck[] =>
  CHECK_KINDS.map((kind) => ({
    staffId: 'w',
    kind,
    completedOn: on,
    renewBy: kind === 'dbs' ? '2029-01-01' : null,
  }));

describe('whether a worker may take participants', () => {
  it('is yes with every item and check done, and nothing due', () => {
    const r = readinessOf(catalogue, allDone('2026-10-01'), allChecks('2026-09-01'), undefined, TODAY);
    expect(r).toMatchObject({ ready: true, complete: true, gaps: [], dueSoon: [] });
    expect(notReadyReason(r)).toBeNull();
  });

  it('names every missing mandatory item and check, in catalogue order, checks last', () => {
    const r = readinessOf(
      catalogue,
      allDone('2026-10-01', ['boundaries_and_disclosure']),
      [],
      undefined,
      TODAY,
    );
    expect(r.ready).toBe(false);
    expect(r.gaps.map((g) => g.label)).toEqual([
      'Boundaries and disclosure',
      'Enhanced DBS check',
      'References',
      'Right to work',
      'Occupational health clearance',
    ]);
    expect(notReadyReason(r)).toBe(
      'Training or checks not complete: Boundaries and disclosure (not recorded), Enhanced DBS check (not recorded), References (not recorded), Right to work (not recorded), Occupational health clearance (not recorded)',
    );
  });

  it('a mandatory item one day past its renewal blocks; an optional one never does', () => {
    // Data security, 12 months: done 4 December 2025, current to 3 December 2026.
    const lapsed = readinessOf(
      catalogue,
      allDone('2026-10-01', [
        'data_security',
        'top_up_day_1',
        'top_up_day_2',
        'experienced_worker_visit',
      ]).concat({
        staffId: 'w',
        itemKey: 'data_security',
        completedOn: '2025-12-04',
      }),
      allChecks('2026-09-01'),
      undefined,
      TODAY,
    );
    expect(lapsed.ready).toBe(false);
    expect(lapsed.gaps).toEqual([
      { label: 'Data security awareness', state: 'expired', expiresOn: '2026-12-03' },
    ]);
    const lastDay = readinessOf(
      catalogue,
      allDone('2026-10-01', ['data_security']).concat({
        staffId: 'w',
        itemKey: 'data_security',
        completedOn: '2025-12-05',
      }),
      allChecks('2026-09-01'),
      undefined,
      TODAY,
    );
    expect(lastDay.ready).toBe(true);
    expect(lastDay.dueSoon).toEqual([{ label: 'Data security awareness', expiresOn: '2026-12-04' }]);
  });

  it('a DBS check past its renewal date blocks', () => {
    const checks = allChecks('2023-01-01').map((c) =>
      c.kind === 'dbs' ? { ...c, renewBy: '2026-12-04' } : c,
    );
    const r = readinessOf(catalogue, allDone('2026-10-01'), checks, undefined, TODAY);
    expect(r.gaps).toEqual([{ label: 'Enhanced DBS check', state: 'expired', expiresOn: '2026-12-03' }]);
  });

  it('an exception allows until its last day, never after', () => {
    const override = {
      staffId: 'w',
      reason: 'Trained elsewhere',
      untilOn: TODAY,
      grantedByName: 'Carol',
      grantedAt: new Date(),
    };
    expect(readinessOf(catalogue, [], [], override, TODAY)).toMatchObject({ ready: true, complete: false });
    expect(readinessOf(catalogue, [], [], override, '2026-12-05')).toMatchObject({
      ready: false,
      override: null,
    });
  });

  it('an item renewed every 12 months done on 31 January runs to 30 January (and 29 February clamps)', () => {
    const item = { renewalMonths: 12 };
    expect(expiryOf(item, '2026-01-31')).toBe('2027-01-30');
    expect(expiryOf(item, '2028-02-29')).toBe('2029-02-27');
    expect(expiryOf({ renewalMonths: null }, '2026-01-31')).toBeNull();
  });
});

describe('the training catalogue', () => {
  it('loads the shipped file: the course’s six topics, induction and data security mandatory', () => {
    const mandatory = catalogue.items.filter((item) => item.mandatory).map((item) => item.key);
    expect(mandatory).toEqual(
      expect.arrayContaining([
        'meaning_of_peer_support',
        'core_skills',
        'peer_support_skills',
        'boundaries_and_disclosure',
        'referring_and_linking',
        'distress_and_safety',
        'safeguarding',
        'personal_safety',
        'trust_policies',
        'data_security',
      ]),
    );
    expect(catalogue.items.find((item) => item.key === 'data_security')?.renewalMonths).toBe(12);
  });

  it('refuses a catalogue with an item twice, an unknown group or nothing mandatory, naming it', () => {
    const base = { dueSoonDays: 30, groups: [{ key: 'g', title: 'G' }] };
    const item = {
      key: 'a',
      group: 'g',
      title: 'A',
      short: 'A',
      hours: 1,
      mandatory: true,
      renewalMonths: null,
    };
    expect(() => parseCatalogue({ ...base, items: [item, item] })).toThrow(/item "a" appears twice/);
    expect(() => parseCatalogue({ ...base, items: [{ ...item, group: 'x' }] })).toThrow(/unknown group "x"/);
    expect(() => parseCatalogue({ ...base, items: [{ ...item, mandatory: false }] })).toThrow(
      /at least one item must be mandatory/,
    );
    expect(() => parseCatalogue({ ...base, items: [{ ...item, qualification: 'RMN' }] })).toThrow(
      /not valid/,
    );
  });
});
