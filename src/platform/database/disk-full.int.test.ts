/**
 * A full disk while the service runs. A real full disk cannot be made here without root (no
 * tiny file system to mount), so the database's answer is put in at the service's seam: the
 * error PostgreSQL and PGlite give when a table's file cannot grow (SQLSTATE 53100,
 * "could not extend file … No space left on device"), wrapped as drizzle wraps it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../../test-support/test-app.ts';

let t: TestApp;
let pat: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
});
afterAll(async () => {
  await t.close();
});

function diskFull(): Error {
  const postgres = Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), {
    code: '53100',
    severity: 'ERROR',
  });
  return new Error('Failed query: insert into "audit_events" …', { cause: postgres });
}

describe('a full disk while running', () => {
  it('says the disk is full (503) instead of a plain server error', async () => {
    const failing = vi.spyOn(t.deps.services.caseload, 'caseload').mockRejectedValue(diskFull());
    try {
      const page = await pat.get('/caseload');
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('Nothing can be saved at the moment');
      expect(page.body).toContain('disk is full');
      expect(page.body).not.toContain('Sorry, there is a problem with the service');

      const json = await pat.get('/caseload', { accept: 'application/json' });
      expect(json.statusCode).toBe(503);
      expect(JSON.parse(json.body)).toEqual({ status: 'disk_full' });
    } finally {
      failing.mockRestore();
    }
    // Space freed: the page works again.
    expect((await pat.get('/caseload')).statusCode).toBe(200);
  });
});
