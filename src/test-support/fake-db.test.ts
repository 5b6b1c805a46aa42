/** The in-memory database the service tests stand on: a failed transaction leaves nothing behind. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { FakeDatabase } from './fake-db.ts';
import { fakeAudit } from './fake-audit.ts';

interface Note {
  id: string;
  token: string;
}

describe('FakeDatabase', () => {
  it('rolls back every table, the audit log included, when a transaction throws', async () => {
    const database = new FakeDatabase();
    const notes = database.table<Note>('notes');
    const audit = fakeAudit(database, new ManualClock('2026-11-26T12:00:00Z'));
    const entry = { actor: { kind: 'system' as const }, ip: null, entityType: 'note', entityId: 'a' };
    notes.insert({ id: 'a', token: 't1' });
    await expect(
      database.db.transaction(async (tx) => {
        notes.insert({ id: 'b', token: 't2' });
        notes.update((n) => n.id === 'a', { token: 'changed' });
        await audit.audit.record(tx, { ...entry, action: 'participant.viewed' });
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(notes.all()).toEqual([{ id: 'a', token: 't1' }]);
    expect(audit.events()).toEqual([]);
    await database.db.transaction(async (tx) =>
      audit.audit.record(tx, { ...entry, action: 'participant.viewed' }),
    );
    expect(audit.events()).toHaveLength(1);
    expect((await audit.audit.verify(database.db)).ok).toBe(true);
  });

  it('refuses a second row with a unique value as PostgreSQL does', () => {
    const database = new FakeDatabase();
    const notes = database.table<Note>('notes', { notes_token_key: 'token' });
    notes.insert({ id: 'a', token: 't1' });
    const error: unknown = (() => {
      try {
        notes.insert({ id: 'b', token: 't1' });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(isUniqueViolation(error, 'notes_token_key')).toBe(true);
  });

  it('names what a service asked of the database that a repository should have done', () => {
    const database = new FakeDatabase();
    expect(() => database.db.select()).toThrow(/The fake database has no select/);
  });
});
