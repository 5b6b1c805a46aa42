/**
 * Server-side sign-in sessions of staff and participants ("session" alone means a programme
 * session), kept in the table `user_sessions`. The cookie holds 256 random bits; the database
 * holds only their SHA-256, so a leaked table cannot be replayed. A new id is issued at every step up
 * (password → second factor → signed in). Idle and absolute limits are checked on every
 * request, and ending a session takes effect on the next one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { HOUR, MINUTE } from '../platform/clock.ts';
import type { Database, Listener } from '../platform/database/database.ts';
import { SIGN_IN_CHANNEL, type SignInSessionCache } from './sign-in-session-cache.ts';
import type {
  SignInSessionRepository,
  SignInSessionWithSubject,
  UserSessionRow,
} from './sign-in-session.repository.ts';

export type SignInSessionStage = 'password' | 'full';
export type SubjectType = 'staff' | 'participant';

export interface SignInSession {
  idHash: string;
  subjectType: SubjectType;
  subjectId: string;
  stage: SignInSessionStage;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  /** While a half-finished sign-in sets up an authenticator app: the secret offered to it alone. */
  pendingTotpSecret: string | null;
  /** The person, as read with the session (undefined if their record is gone). */
  staff: SignInSessionWithSubject['staff'];
  participant: SignInSessionWithSubject['participant'];
}

export interface SignInSessionLimits {
  idleMinutes: number;
  absoluteHours: number;
}

// A half-finished sign-in (password given, code not yet) lasts at most this long.
const PENDING_LIMIT_MINUTES = 10;
// last_seen_at is rewritten at most this often, sparing a write on every page view.
const TOUCH_EVERY_MS = MINUTE;

export function hashSignInSessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SignInSessionService {
  private readonly db: Db;
  private readonly repository: SignInSessionRepository;
  private readonly clock: Clock;
  private readonly limits: SignInSessionLimits;
  private readonly cache: SignInSessionCache;
  private listener: Listener | undefined;

  constructor(
    db: Db,
    repository: SignInSessionRepository,
    clock: Clock,
    limits: SignInSessionLimits,
    cache: SignInSessionCache,
  ) {
    this.db = db;
    this.repository = repository;
    this.clock = clock;
    this.limits = limits;
    this.cache = cache;
  }

  /**
   * Hears the database's announcements of changes to sessions and the people they stand for:
   * until this is called (and whenever it is not hearing), sessions are not kept in memory.
   */
  async listen(database: Pick<Database, 'listen'>): Promise<Listener> {
    this.listener = await database.listen(SIGN_IN_CHANNEL, {
      onNotify: (payload) => {
        this.cache.heardOf(payload);
      },
      onState: (listening) => {
        this.cache.listeningChanged(listening);
      },
    });
    return this.listener;
  }

  /**
   * Resolves once this instance has heard every change committed before the call: on
   * PostgreSQL an announcement of its own is sent and waited for (they arrive in commit order);
   * the embedded database has always heard already. Tests use it where a person's next click
   * would come after a change made by someone else; nothing is waited for while not listening.
   */
  async caughtUp(): Promise<void> {
    if (!this.listener || this.listener.inStep || !this.cache.active) return;
    const id = randomBytes(8).toString('hex');
    const heard = this.cache.caughtUp(id);
    await this.listener.announce(`sync:${id}`);
    await heard;
  }

  /**
   * The person has just changed something (a form they posted): their kept sessions are
   * forgotten before the answer leaves, so the next page reads what the change made of them.
   */
  changedBy(session: Pick<SignInSession, 'subjectType' | 'subjectId'>): void {
    this.cache.forgetSubject(session.subjectType, session.subjectId);
  }

  get idleSeconds(): number {
    return this.limits.idleMinutes * 60;
  }

  /** Starts a session in the given transaction; returns the raw token for the cookie. */
  async start(
    tx: Db,
    subject: { type: SubjectType; id: string },
    stage: SignInSessionStage,
    ip: string | null,
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const lifetime = stage === 'full' ? this.limits.absoluteHours * HOUR : PENDING_LIMIT_MINUTES * MINUTE;
    await this.repository.insert(tx, {
      idHash: hashSignInSessionId(token),
      subjectType: subject.type,
      subjectId: subject.id,
      stage,
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + lifetime),
      endedAt: null,
      ip,
      pendingTotpSecret: null,
    });
    return token;
  }

  /** The live session for a cookie's token, or undefined when it is unknown, ended or expired. */
  async resolve(token: string | undefined): Promise<SignInSession | undefined> {
    if (!token || token.length > 100) return undefined;
    const idHash = hashSignInSessionId(token);
    const now = this.clock.now();
    // From memory while nothing it stands for has changed (sign-in-session-cache.ts); otherwise
    // one round trip for the session and its person: this runs on every request.
    let row = this.cache.get(idHash, now.getTime());
    if (!row) {
      const generation = this.cache.generation;
      row = await this.repository.findWithSubject(this.db, idHash);
      if (row && this.isLive(row)) this.cache.keep(row, generation, now.getTime());
    }
    if (!row || !this.isLive(row)) return undefined;
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.repository.touch(this.db, idHash, now);
      this.cache.touched(idHash, now);
    }
    return {
      idHash,
      subjectType: row.subjectType as SubjectType,
      subjectId: row.subjectId,
      stage: row.stage as SignInSessionStage,
      lastSeenAt: row.lastSeenAt,
      absoluteExpiresAt: row.absoluteExpiresAt,
      pendingTotpSecret: row.pendingTotpSecret,
      staff: row.staff,
      participant: row.participant,
    };
  }

  /** Resets the idle timer now (the "Stay signed in" button). */
  async extend(session: SignInSession): Promise<void> {
    const now = this.clock.now();
    await this.repository.touch(this.db, session.idHash, now);
    this.cache.touched(session.idHash, now);
  }

  // Ending forgets the kept copy here at once; the trigger tells every instance on commit.
  async end(tx: Db, idHash: string): Promise<void> {
    this.cache.forgetSession(idHash);
    await this.repository.end(tx, idHash, this.clock.now());
  }

  async endAllFor(tx: Db, subjectType: SubjectType, subjectId: string): Promise<number> {
    this.cache.forgetSubject(subjectType, subjectId);
    return this.repository.endAllFor(tx, subjectType, subjectId, this.clock.now());
  }

  /** Ends every session of the person except the one they are using now. */
  async endOthersFor(tx: Db, session: SignInSession): Promise<number> {
    this.cache.forgetSubject(session.subjectType, session.subjectId);
    return this.repository.endAllFor(
      tx,
      session.subjectType,
      session.subjectId,
      this.clock.now(),
      session.idHash,
    );
  }

  /**
   * The authenticator secret this half-finished sign-in is offered: `candidate` the first time
   * it is asked, the same one on every later visit (two requests at once agree on one).
   * Undefined once the session has ended.
   */
  async offerTotpSecret(session: SignInSession, candidate: string): Promise<string | undefined> {
    return this.repository.offerTotpSecret(this.db, session.idHash, candidate);
  }

  private isLive(row: UserSessionRow): boolean {
    const now = this.clock.now().getTime();
    if (row.endedAt) return false;
    if (now >= row.absoluteExpiresAt.getTime()) return false;
    return now - row.lastSeenAt.getTime() < this.limits.idleMinutes * MINUTE;
  }
}
