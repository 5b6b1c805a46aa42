/**
 * Participants sign in with a six-digit code sent to the mobile or email the crisis team
 * recorded. Asking for a code is answered at once and the same way for every number, known or
 * not: the request is counted and handed to the job queue, and the job (sign-in-code-delivery)
 * looks the contact up and sends the code. Nothing on the page, and nothing in how long it
 * takes, says whether a number belongs to someone discharged from crisis care.
 *
 * Codes last 10 minutes, work once, and die after 5 wrong tries. Who a code signs in is decided
 * when it is used: a contact that more than one participant has signs in no one.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { JobSender } from '../platform/jobs/job-queue.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import type { SignInSessionService } from './sign-in-session.service.ts';
import type { SignInCodeRepository } from './sign-in-code.repository.ts';
import type { SignInThrottle } from './throttle.ts';
import {
  checkRules,
  codeHash,
  contactHash,
  contactText,
  MAX_ATTEMPTS_PER_CODE,
  requestRules,
  sentCap,
  type Contact,
} from './sign-in-code-rules.ts';
import { SEND_SIGN_IN_CODE_JOB } from './sign-in-code-jobs.ts';

export type RequestOutcome = { kind: 'accepted' } | { kind: 'throttled'; until: Date };
export type CheckOutcome =
  | { kind: 'signed_in'; token: string }
  | { kind: 'failed' }
  | { kind: 'throttled'; until: Date }
  /** The code was right, but the contact belongs to more than one participant. */
  | { kind: 'shared_contact' };

export class ParticipantSignInService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly codes: SignInCodeRepository;
  private readonly signInSessions: SignInSessionService;
  private readonly throttle: SignInThrottle;
  private readonly jobs: JobSender;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly codesPerDay: number;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    codes: SignInCodeRepository,
    signInSessions: SignInSessionService,
    throttle: SignInThrottle,
    jobs: JobSender,
    audit: AuditService,
    clock: Clock,
    codesPerDay: number,
  ) {
    this.db = db;
    this.participants = participants;
    this.codes = codes;
    this.signInSessions = signInSessions;
    this.throttle = throttle;
    this.jobs = jobs;
    this.audit = audit;
    this.clock = clock;
    this.codesPerDay = codesPerDay;
  }

  /**
   * The request path: the same statements for every contact (two counters, one job), no look-up
   * and no wait on GOV.UK Notify. The job carries only the contact and address, and is deleted
   * soon after it runs (sign-in-code-jobs.ts).
   */
  async requestCode(contact: Contact, ip: string | null): Promise<RequestOutcome> {
    const rules = requestRules(contact, ip);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };
    await this.throttle.recordFailure(this.db, rules);
    await this.jobs.send(SEND_SIGN_IN_CODE_JOB, { contact: contactText(contact), ip });
    return { kind: 'accepted' };
  }

  async checkCode(contact: Contact, codeInput: string, ip: string | null): Promise<CheckOutcome> {
    const rules = checkRules(contact, ip);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };
    const code = codeInput.replace(/\s/g, '');
    const digest = contactHash(contact);
    const now = this.clock.now();

    return this.db.transaction(async (tx) => {
      const live = await this.codes.live(tx, digest, now, MAX_ATTEMPTS_PER_CODE);
      const wellFormed = /^\d{6}$/.test(code);
      // Every live code is compared, so the time taken does not depend on which one matches.
      const matches = live.filter(
        (row) =>
          timingSafeEqual(Buffer.from(codeHash(row.id, code)), Buffer.from(row.codeHash)) && wellFormed,
      );
      const used = matches[0];
      if (!used) {
        await this.throttle.recordFailure(tx, rules);
        await this.codes.recordFailedAttempt(tx, digest, now);
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'participant.sign_in_failed',
          entityType: 'participant',
          entityId: live[0]?.participantId ?? null,
          detail: { reason: live.length === 0 ? 'no live code' : 'wrong code' },
        });
        return { kind: 'failed' as const };
      }
      await this.codes.spendLive(tx, digest, now);
      await this.throttle.clearFirst(tx, rules);
      // Whoever holds the phone or inbox proved it: their own sign-ins never use up the day's codes.
      await this.throttle.clear(tx, sentCap(contact, this.codesPerDay).key);

      const candidates = await this.participants.signInCandidates(tx, contact);
      const [only] = candidates;
      if (candidates.length > 1) {
        for (const participantId of candidates) {
          await this.audit.record(tx, {
            actor: { kind: 'anonymous' },
            ip,
            action: 'participant.sign_in_refused',
            entityType: 'participant',
            entityId: participantId,
            detail: {
              reason: 'contact shared by more than one participant',
              participants: candidates.length,
            },
          });
        }
        return { kind: 'shared_contact' as const };
      }
      // A code made for one person never signs in another, whoever has the contact now.
      if (!only || (used.participantId !== null && used.participantId !== only)) {
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'participant.sign_in_failed',
          entityType: 'participant',
          entityId: used.participantId,
          detail: { reason: 'contact no longer theirs' },
        });
        return { kind: 'failed' as const };
      }
      return { kind: 'signed_in' as const, token: await this.startSignedIn(tx, only, ip, 'code') };
    });
  }

  /** Demo mode only: signs in as a seeded participant without a code. */
  async signInForDemo(participantId: string, ip: string | null): Promise<string | undefined> {
    const participant = await this.participants.findWithAllocation(this.db, participantId);
    if (!participant) return undefined;
    return this.db.transaction((tx) => this.startSignedIn(tx, participant.id, ip, 'demo'));
  }

  /** A new signed-in session, audited with how the person signed in. */
  private async startSignedIn(
    tx: Db,
    participantId: string,
    ip: string | null,
    method: string,
  ): Promise<string> {
    const token = await this.signInSessions.start(tx, { type: 'participant', id: participantId }, 'full', ip);
    await this.audit.record(tx, {
      actor: { kind: 'participant', id: participantId },
      ip,
      action: 'participant.signed_in',
      entityType: 'participant',
      entityId: participantId,
      detail: { method },
    });
    return token;
  }
}
