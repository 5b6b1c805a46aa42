/** In-memory sharing consent decisions for service tests, newest first as the repository reads them. */
import type { Db } from '../platform/database/database.ts';
import type { SharingConsentRow } from '../consent/consent.repository.ts';
import type { ConsentDecisions } from '../consent/consent.service.ts';
import type { FakeDatabase, FakeTable } from './fake-db.ts';
import type { FakeProgramme } from './fake-programme.ts';

export class FakeConsentRepository implements ConsentDecisions {
  readonly decisions: FakeTable<SharingConsentRow>;
  private readonly world: FakeProgramme;

  constructor(database: FakeDatabase, world: FakeProgramme) {
    this.decisions = database.table<SharingConsentRow>('sharing_consents', {
      sharing_consents_submission_token_key: 'submissionToken',
    });
    this.world = world;
  }

  async insert(_db: Db, row: SharingConsentRow): Promise<void> {
    this.decisions.insert(row);
  }

  async bySubmissionToken(_db: Db, token: string): Promise<SharingConsentRow | undefined> {
    return this.decisions.where((d) => d.submissionToken === token)[0];
  }

  async history(_db: Db, participantId: string): Promise<(SharingConsentRow & { recordedByName: string })[]> {
    return this.decisions
      .where((d) => d.participantId === participantId)
      .sort(
        (a, b) => b.recordedAt.getTime() - a.recordedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      )
      .map((d) => ({ ...d, recordedByName: this.world.staffName(d.recordedBy) }));
  }
}
