/**
 * Demo data: equality monitoring answers for most demo people, varied as a real caseload's are,
 * so the service reports have something to show. Some people were not asked or left every
 * question blank (no row), some answered only a few, one chose "prefer not to say" throughout,
 * and a few need an interpreter. A few changed their answers themselves since referral.
 */
import type { Db } from '../platform/database/database.ts';
import type { EqualityAnswers } from './equality-fields.ts';
import type { EqualityRepository } from './equality.repository.ts';

export interface ReferredDemoParticipant {
  index: number;
  participantId: string;
  trustId: string;
  referredBy: string;
  referredAt: Date;
}

type Profile = [
  ethnicity: string | null,
  gender: string | null,
  language: string | null,
  interpreterNeeded: EqualityAnswers['interpreterNeeded'],
  disability: EqualityAnswers['disability'],
];

/** By the seeded person's index (seed.ts's GIVEN_NAMES); undefined: no answers recorded. */
const PROFILES: readonly (Profile | undefined)[] = [
  ['A', '3', 'English', 'no', 'yes'],
  ['H', '2', 'Gujarati', 'no', 'no'],
  ['A', '1', 'English', 'no', 'prefer_not_to_say'],
  ['J', '2', 'English', 'no', 'no'],
  undefined,
  ['N', '2', 'English', 'no', 'yes'],
  ['N', '1', 'Twi', 'no', 'no'],
  ['A', '2', 'English', 'no', 'yes'],
  ['K', '1', 'Bengali', 'yes', 'no'],
  ['B', '2', 'English', 'no', 'no'],
  ['Z', '1', 'English', 'no', 'prefer_not_to_say'],
  ['A', '2', 'English', 'no', null],
  undefined,
  ['L', '2', 'English', 'no', 'no'],
  ['A', '1', 'English', 'no', 'yes'],
  ['D', '2', 'English', 'no', 'no'],
  ['N', '2', 'Igbo', 'no', 'yes'],
  ['B', '1', 'English', 'no', 'no'],
  ['A', 'Z', 'English', 'no', 'yes'],
  ['J', '1', 'Urdu', 'no', 'no'],
  undefined,
  ['N', '1', 'English', 'no', 'no'],
  ['A', '2', 'Welsh', 'no', 'no'],
  ['H', '1', 'English', 'no', 'yes'],
  ['A', '4', 'English', 'no', 'prefer_not_to_say'],
  ['A', '1', null, null, null],
  ['E', '2', 'English', 'no', 'no'],
  ['Z', 'Z', 'prefer_not_to_say', 'prefer_not_to_say', 'prefer_not_to_say'],
  ['F', '2', 'English', 'no', 'yes'],
  ['C', '1', 'Polish', 'yes', 'no'],
];

/** These people changed their answers themselves after referral (recorded by nobody on staff). */
const CHANGED_BY_THEMSELVES = new Set([0, 16, 22]);

function answers([ethnicity, gender, language, interpreterNeeded, disability]: Profile): EqualityAnswers {
  const firstLanguage =
    language === null
      ? null
      : language === 'English'
        ? 'english'
        : language === 'prefer_not_to_say'
          ? 'prefer_not_to_say'
          : 'other';
  return {
    ethnicity,
    gender,
    firstLanguage,
    firstLanguageName: firstLanguage === 'other' ? language : null,
    interpreterNeeded,
    disability,
  };
}

export async function seedDemoEquality(
  tx: Db,
  repository: EqualityRepository,
  people: readonly ReferredDemoParticipant[],
): Promise<void> {
  for (const person of people) {
    const profile = PROFILES[person.index];
    if (!profile) continue;
    const byThemselves = CHANGED_BY_THEMSELVES.has(person.index);
    await repository.insert(tx, {
      participantId: person.participantId,
      trustId: person.trustId,
      ...answers(profile),
      recordedBy: byThemselves ? null : person.referredBy,
      recordedAt: new Date(person.referredAt.getTime() + (byThemselves ? 7 : 0) * 86_400_000),
    });
  }
}
