/**
 * Small factories for the team and staff admin integration tests: a trust, its crisis teams and
 * staff accounts, stating only what a test cares about.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Db } from '../platform/database/database.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import type { RequestContext, StaffActor, StaffRole } from '../policy/actor.ts';
import { StaffRepository, type StaffUserRow } from './staff.repository.ts';
import { TeamRepository } from './team.repository.ts';

export type StaffContext = RequestContext & { actor: StaffActor };

export async function addTrust(db: Db): Promise<string> {
  const id = randomUUID();
  await new TeamRepository().insertTrust(db, {
    id,
    name: `Trust ${id.slice(0, 4)}`,
    odsCode: id.slice(0, 8),
  });
  return id;
}

export async function addTeam(
  db: Db,
  trustId: string,
  name = `Team ${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const id = randomUUID();
  await new TeamRepository().insert(db, { id, trustId, name, phone: '0113 496 0000' });
  return id;
}

export async function addStaff(
  db: Db,
  trustId: string,
  roles: StaffRole[],
  crisisTeamId: string | null = null,
): Promise<StaffUserRow> {
  const staff = new StaffRepository();
  const id = randomUUID();
  await staff.insert(db, {
    id,
    trustId,
    crisisTeamId,
    email: `${id}@nhs.test`,
    fullName: `Person ${id.slice(0, 4)}`,
    roles,
  });
  const row = await staff.findById(db, id);
  if (!row) throw new Error(`staff account ${id} was not saved`);
  return row;
}

export const contextOf = (row: StaffUserRow): StaffContext => ({
  actor: {
    kind: 'staff',
    id: row.id,
    trustId: row.trustId,
    crisisTeamId: row.crisisTeamId,
    roles: row.roles as StaffRole[],
    fullName: row.fullName,
  },
  ip: '192.0.2.1',
});

/** A trust with one crisis team and its coordinator: the usual starting point. */
export async function trustWithCoordinator(db: Db) {
  const trustId = await addTrust(db);
  const teamId = await addTeam(db, trustId);
  const coordinator = await addStaff(db, trustId, ['coordinator']);
  return { trustId, teamId, coordinator, ctx: contextOf(coordinator) };
}

/** Awaits a call that must fail validation, and returns its field errors. */
export async function expectValidation(promise: Promise<unknown>): Promise<FieldErrors> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}
