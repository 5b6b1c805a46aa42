/**
 * Participants sign in with a six-digit code sent to the mobile or email the crisis team
 * recorded. Codes last 10 minutes, work once, allow 5 tries, and the page never says
 * whether a number or address is known (no enumeration).
 */
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { MINUTE } from '../platform/clock.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import { normaliseEmail, normaliseUkMobile } from '../participants/contact.ts';
import type { SessionService } from './session.service.ts';
import type { SignInCodeRepository } from './sign-in-code.repository.ts';
import type { SignInThrottle, ThrottleRule } from './throttle.ts';

const CODE_LIFETIME = 10 * MINUTE;
const MAX_ATTEMPTS_PER_CODE = 5;
// Spent codes and throttle counters are kept a day, as sessions are, for investigations.

export type Contact = { mobile: string } | { email: string };

export function parseContact(input: string): Contact | undefined {
  if (input.includes('@')) {
    const email = normaliseEmail(input);
    return email ? { email } : undefined;
  }
  const mobile = normaliseUkMobile(input);
  return mobile ? { mobile } : undefined;
}

const contactKey = (contact: Contact) => ('mobile' in contact ? contact.mobile : contact.email);
const sendRules = (contact: Contact, ip: string | null): ThrottleRule[] => [
  { key: `code-send:${contactKey(contact)}`, allowance: 3, windowMinutes: 15 },
  { key: `code-send-ip:${ip ?? '-'}`, allowance: 30, windowMinutes: 60 },
];
const checkRules = (contact: Contact, ip: string | null): ThrottleRule[] => [
  { key: `code-check:${contactKey(contact)}:${ip ?? '-'}`, allowance: 5, windowMinutes: 15 },
  { key: `code-check:${contactKey(contact)}`, allowance: 20, windowMinutes: 60 },
];

function hashCode(codeId: string, code: string): string {
  return createHash('sha256').update(`${codeId}:${code}`).digest('hex');
}

export type SendOutcome = { kind: 'sent' } | { kind: 'throttled'; until: Date };
export type CheckOutcome =
  { kind: 'signed_in'; token: string } | { kind: 'failed' } | { kind: 'throttled'; until: Date };

export class ParticipantSignInService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly codes: SignInCodeRepository;
  private readonly sessions: SessionService;
  private readonly throttle: SignInThrottle;
  private readonly sender: NotificationSender;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    codes: SignInCodeRepository,
    sessions: SessionService,
    throttle: SignInThrottle,
    sender: NotificationSender,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.participants = participants;
    this.codes = codes;
    this.sessions = sessions;
    this.throttle = throttle;
    this.sender = sender;
    this.audit = audit;
    this.clock = clock;
  }

  async sendCode(contact: Contact, ip: string | null): Promise<SendOutcome> {
    const rules = sendRules(contact, ip);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };
    // Every request counts towards the allowance, known contact or not.
    await this.throttle.recordFailure(this.db, rules);

    const participant = await this.participants.findByContact(this.db, contact);
    if (!participant) return { kind: 'sent' };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = randomUUID();
    const now = this.clock.now();
    const channel = 'mobile' in contact ? ('sms' as const) : ('email' as const);
    await this.db.transaction(async (tx) => {
      await this.codes.insert(tx, {
        id,
        participantId: participant.id,
        codeHash: hashCode(id, code),
        channel,
        createdAt: now,
        expiresAt: new Date(now.getTime() + CODE_LIFETIME),
        usedAt: null,
        attempts: 0,
      });
      await this.audit.record(tx, {
        actor: { kind: 'anonymous' },
        ip,
        action: 'participant.sign_in_code_sent',
        entityType: 'participant',
        entityId: participant.id,
        detail: { channel },
      });
    });
    // No clinical words: the message says only that this is a sign-in code.
    await this.sender.send({
      channel,
      to: contactKey(contact),
      template: 'sign_in_code',
      personalisation: { code },
    });
    return { kind: 'sent' };
  }

  async checkCode(contact: Contact, codeInput: string, ip: string | null): Promise<CheckOutcome> {
    const rules = checkRules(contact, ip);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };
    const code = codeInput.replace(/\s/g, '');
    const participant = await this.participants.findByContact(this.db, contact);
    const now = this.clock.now();

    return this.db.transaction(async (tx) => {
      const latest = participant ? await this.codes.latestLive(tx, participant.id, now) : undefined;
      const matches =
        latest !== undefined &&
        latest.attempts < MAX_ATTEMPTS_PER_CODE &&
        /^\d{6}$/.test(code) &&
        timingSafeEqual(Buffer.from(hashCode(latest.id, code)), Buffer.from(latest.codeHash));
      if (!participant || !latest || !matches) {
        await this.throttle.recordFailure(tx, rules);
        if (latest) await this.codes.recordFailedAttempt(tx, latest.id);
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'participant.sign_in_failed',
          entityType: 'participant',
          entityId: participant?.id ?? null,
          detail: { reason: !latest ? 'no live code' : 'wrong code' },
        });
        return { kind: 'failed' as const };
      }
      await this.codes.markUsed(tx, latest.id, now);
      await this.throttle.clearFirst(tx, rules);
      return { kind: 'signed_in' as const, token: await this.startSignedIn(tx, participant.id, ip, 'code') };
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
    const token = await this.sessions.start(tx, { type: 'participant', id: participantId }, 'full', ip);
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

  /** Drops codes that expired before `before`. */
  async purgeExpiredCodes(before: Date): Promise<void> {
    await this.codes.deleteExpired(this.db, before);
  }
}
