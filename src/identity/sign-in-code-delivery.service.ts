/**
 * The sign-in code job's work, off the request path: finds who has the contact, makes a code,
 * audits it and, in the same transaction, puts the text in the message outbox (source
 * `sign-in-code`, expiring with the code), then sends it straight away. A contact nobody has
 * gets nothing (and leaves no trace); one past its daily cap gets nothing either, silently. The
 * code itself is never logged: only its hash is stored, and the outbox clears the text once it
 * is sent (or too late to be of use). A send that fails is retried by the outbox until the code
 * expires.
 */
import type { ErrorLog } from '../platform/logger.ts';
import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import type { SignInCodeRepository } from './sign-in-code.repository.ts';
import type { SignInThrottle } from './throttle.ts';
import {
  channelFor,
  CODE_LIFETIME,
  codeHash,
  contactHash,
  contactText,
  sentCap,
  type Contact,
} from './sign-in-code-rules.ts';

export class SignInCodeDeliveryService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly codes: SignInCodeRepository;
  private readonly throttle: SignInThrottle;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly codesPerDay: number;
  /** Where a send that must wait for the outbox's retry is reported. */
  private readonly log: ErrorLog;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    codes: SignInCodeRepository,
    throttle: SignInThrottle,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    codesPerDay: number,
    log: ErrorLog,
  ) {
    this.db = db;
    this.participants = participants;
    this.codes = codes;
    this.throttle = throttle;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.codesPerDay = codesPerDay;
    this.log = log;
    // A code that could not be sent is of no use to anyone: its text is not kept either.
    outbox.onOutcome(SIGN_IN_CODE_SOURCE, async (tx, message, outcome) => {
      if (outcome === 'not_delivered') await this.outbox.forgetText(tx, message);
    });
  }

  async deliver(contact: Contact, ip: string | null): Promise<void> {
    const channel = channelFor(contact);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sending = await this.db.transaction(async (tx) => {
      const candidates = await this.participants.signInCandidates(tx, contact);
      if (candidates.length === 0) return false;
      const cap = sentCap(contact, this.codesPerDay);
      const withinCap = await this.throttle.withinCap(tx, cap);
      const id = randomUUID();
      const now = this.clock.now();
      if (withinCap) {
        await this.codes.insert(tx, {
          id,
          // Only when one person has the contact: a code made for them signs in no one else.
          participantId: candidates.length === 1 ? (candidates[0] ?? null) : null,
          contactHash: contactHash(contact),
          codeHash: codeHash(id, code),
          channel,
          createdAt: now,
          expiresAt: new Date(now.getTime() + CODE_LIFETIME),
          usedAt: null,
          attempts: 0,
        });
        await this.throttle.recordFailure(tx, [cap]);
        // No clinical words: the message says only that this is a sign-in code. Committed with
        // the code, so a crash loses neither; not worth sending once the code has expired.
        await this.outbox.enqueue(tx, {
          channel,
          to: contactText(contact),
          template: 'sign_in_code',
          personalisation: { code },
          source: { kind: SIGN_IN_CODE_SOURCE, id },
          expiresAt: new Date(now.getTime() + CODE_LIFETIME),
        });
      }
      for (const participantId of candidates) {
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: withinCap ? 'participant.sign_in_code_sent' : 'participant.sign_in_code_withheld',
          entityType: 'participant',
          entityId: participantId,
          detail: withinCap
            ? { channel, ...(candidates.length > 1 ? { sharedContact: true } : {}) }
            : { channel, reason: `${String(this.codesPerDay)} codes sent in 24 hours` },
        });
      }
      return withinCap;
    });
    if (!sending) return;
    // Sent now rather than at the outbox's next minute; a failure is retried there.
    await this.outbox.dispatchDue(5).catch((error: unknown) => {
      this.log.error({ err: error }, 'could not send a sign-in code yet');
    });
  }
}

export const SIGN_IN_CODE_SOURCE = 'sign-in-code';
