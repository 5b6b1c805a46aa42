import { describe, expect, it } from 'vitest';
import { primaryOutcome, type PrimaryOutcomeInput } from './primary-outcome.ts';
import { countingKinds, loadAcuteCareEpisodes, parseAcuteCareEpisodes } from './acute-care-episodes.ts';

const COUNTING = new Set(['inpatient_admission', 'crisis_house']);
const outcome = (over: Partial<PrimaryOutcomeInput>) =>
  primaryOutcome({
    randomisedOn: '2025-03-10',
    asOf: '2026-12-01',
    episodes: [],
    withdrawals: [],
    countingKinds: COUNTING,
    ...over,
  });
const episode = (startedOn: string, kind = 'inpatient_admission') => ({ kind, startedOn });

describe('the primary outcome: readmission to acute care within 365 days of randomisation', () => {
  it('is readmitted by an episode of a counting kind on day 1, with the days to it', () => {
    expect(outcome({ episodes: [episode('2025-03-11')] })).toEqual({ status: 'readmitted', daysToReadmission: 1 });
  });

  it('counts day 365 (across a leap year and the clocks changing) but not day 366 or day 0', () => {
    const r = '2027-03-10';
    expect(outcome({ randomisedOn: r, asOf: '2029-01-01', episodes: [episode('2028-03-09')] })).toEqual({
      status: 'readmitted',
      daysToReadmission: 365,
    });
    expect(outcome({ randomisedOn: r, asOf: '2029-01-01', episodes: [episode('2028-03-10')] }).status).toBe(
      'not_readmitted',
    );
    expect(outcome({ randomisedOn: r, asOf: '2029-01-01', episodes: [episode(r)] }).status).toBe('not_readmitted');
  });

  it('takes the first readmission when there are several, in any order', () => {
    expect(
      outcome({ episodes: [episode('2025-09-01'), episode('2025-05-01', 'crisis_house'), episode('2025-03-01')] }),
    ).toEqual({ status: 'readmitted', daysToReadmission: 52 });
  });

  it('ignores kinds that do not count toward it', () => {
    expect(outcome({ episodes: [episode('2025-04-01', 'acute_day_unit')] }).status).toBe('not_readmitted');
  });

  it('is not yet known until day 365 has passed, then not readmitted', () => {
    expect(outcome({ asOf: '2026-03-10' }).status).toBe('not_yet_known');
    expect(outcome({ asOf: '2026-03-11' }).status).toBe('not_readmitted');
    expect(outcome({ asOf: '2025-06-01', episodes: [episode('2025-05-01')] }).status).toBe('readmitted');
  });

  it('is missing when they withdrew from follow-up before day 365 with nothing recorded up to then', () => {
    const withdrawals = [{ scope: 'follow_up' as const, withdrawnOn: '2025-08-01' }];
    expect(outcome({ withdrawals }).status).toBe('missing');
    expect(outcome({ withdrawals, episodes: [episode('2025-09-01')] }).status).toBe('missing');
    expect(outcome({ withdrawals, episodes: [episode('2025-07-31')] }).status).toBe('readmitted');
    // Withdrawing from the intervention only changes nothing.
    expect(outcome({ withdrawals: [{ scope: 'intervention', withdrawnOn: '2025-04-01' }] }).status).toBe(
      'not_readmitted',
    );
  });

  it('is excluded, whatever was recorded, once they withdrew from any use of their data', () => {
    expect(
      outcome({
        episodes: [episode('2025-04-01')],
        withdrawals: [
          { scope: 'follow_up', withdrawnOn: '2025-05-01' },
          { scope: 'data', withdrawnOn: '2025-06-01' },
        ],
      }),
    ).toEqual({ status: 'excluded', daysToReadmission: null });
  });
});

describe('the acute-care episodes file', () => {
  it('loads the shipped file: the protocol’s four kinds, all counting, and the sources', () => {
    const file = loadAcuteCareEpisodes();
    expect([...countingKinds(file)].sort()).toEqual(
      ['acute_day_unit', 'crisis_house', 'crisis_team_re_referral', 'inpatient_admission'].sort(),
    );
    expect(file.sources.map((s) => s.key)).toContain('hospital_records');
  });

  it('refuses a file without a protocol kind, or with a key twice', () => {
    const file = loadAcuteCareEpisodes();
    expect(() => parseAcuteCareEpisodes({ ...file, kinds: file.kinds.slice(1) })).toThrow(
      /protocol's kind "inpatient_admission"/,
    );
    expect(() => parseAcuteCareEpisodes({ ...file, sources: [...file.sources, file.sources[0]] })).toThrow(
      /source "hospital_records" appears twice/,
    );
  });
});
