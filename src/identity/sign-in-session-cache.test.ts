import { describe, expect, it } from 'vitest';
import { SignInSessionCache } from './sign-in-session-cache.ts';
import type { SignInSessionWithSubject } from './sign-in-session.repository.ts';

const session = (idHash: string, subjectId: string, stage = 'full'): SignInSessionWithSubject => ({
  idHash,
  subjectType: 'staff',
  subjectId,
  stage,
  createdAt: new Date(0),
  lastSeenAt: new Date(0),
  absoluteExpiresAt: new Date(10_000_000),
  endedAt: null,
  ip: null,
  pendingTotpSecret: null,
  staff: null,
  participant: null,
});

function listeningCache(maxAgeMs = 60_000) {
  const cache = new SignInSessionCache({ maxAgeMs, maxEntries: 3 });
  cache.listeningChanged(true);
  return cache;
}

describe('SignInSessionCache', () => {
  it('keeps and serves nothing until it is listening, and forgets everything when it stops', () => {
    const cache = new SignInSessionCache();
    cache.keep(session('a', 'p1'), cache.generation, 0);
    expect(cache.get('a', 1)).toBeUndefined();
    cache.listeningChanged(true);
    cache.keep(session('a', 'p1'), cache.generation, 0);
    expect(cache.get('a', 1)?.idHash).toBe('a');
    cache.listeningChanged(false);
    expect(cache.get('a', 2)).toBeUndefined();
    cache.keep(session('a', 'p1'), cache.generation, 3);
    expect(cache.size).toBe(0);
  });

  it('does not keep a session read while a change was heard (the read may be from before it)', () => {
    const cache = listeningCache();
    const generation = cache.generation;
    cache.heardOf('session:a');
    cache.keep(session('a', 'p1'), generation, 0);
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('forgets one session, or every session of a person, as announced', () => {
    const cache = listeningCache();
    for (const [hash, person] of [
      ['a', 'p1'],
      ['b', 'p1'],
      ['c', 'p2'],
    ] as const)
      cache.keep(session(hash, person), cache.generation, 0);
    cache.heardOf('staff:p1');
    expect([cache.get('a', 1), cache.get('b', 1)]).toEqual([undefined, undefined]);
    expect(cache.get('c', 1)?.idHash).toBe('c');
    cache.heardOf('session:c');
    expect(cache.get('c', 1)).toBeUndefined();
  });

  it('forgets everything on an announcement it does not understand', () => {
    const cache = listeningCache();
    cache.keep(session('a', 'p1'), cache.generation, 0);
    cache.heardOf('something-new:1');
    expect(cache.size).toBe(0);
  });

  it('keeps only finished sign-ins, for at most its maximum age, and at most its maximum number', () => {
    const cache = listeningCache(1000);
    cache.keep(session('half', 'p1', 'password'), cache.generation, 0);
    expect(cache.get('half', 1)).toBeUndefined();
    cache.keep(session('a', 'p1'), cache.generation, 0);
    expect(cache.get('a', 999)?.idHash).toBe('a');
    expect(cache.get('a', 1000)).toBeUndefined();
    for (const hash of ['w', 'x', 'y', 'z']) cache.keep(session(hash, hash), cache.generation, 2000);
    expect(cache.size).toBe(3);
    expect(cache.get('w', 2001)).toBeUndefined();
    expect(cache.get('z', 2001)?.idHash).toBe('z');
  });

  it('moves a kept copy’s idle timer on when the session is touched', () => {
    const cache = listeningCache();
    cache.keep(session('a', 'p1'), cache.generation, 0);
    cache.touched('a', new Date(5000));
    expect(cache.get('a', 1)?.lastSeenAt).toEqual(new Date(5000));
  });
});
