/** What demo mode shows: the made-up accounts to sign in as, and the outbox of messages not really sent. */
import type { Db } from '../platform/database/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import { NOTIFY_TEMPLATES, type NotificationTemplate } from '../config.ts';
import type { RequestContext, StaffActor, StaffRole } from '../policy/actor.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import type {
  NotificationRow,
  NotificationsRepository,
} from '../platform/notifications/notifications.repository.ts';

export interface DemoAccounts {
  staff: { id: string; fullName: string; email: string; roles: StaffRole[]; disabled: boolean }[];
  participants: { id: string; name: string; mobile: string | null; email: string | null }[];
}

export class DemoService {
  private readonly db: Db;
  private readonly staff: StaffRepository;
  private readonly participants: ParticipantRepository;
  private readonly notifications: NotificationsRepository;
  private readonly audit: AuditService;

  constructor(
    db: Db,
    staff: StaffRepository,
    participants: ParticipantRepository,
    notifications: NotificationsRepository,
    audit: AuditService,
  ) {
    this.db = db;
    this.staff = staff;
    this.participants = participants;
    this.notifications = notifications;
    this.audit = audit;
  }

  /** Every staff account, and the 40 most recently discharged participants (or those named like `name`). */
  async accounts(name?: string): Promise<DemoAccounts> {
    const staff = await this.staff.listAll(this.db);
    const people = await this.participants.latestDischarged(this.db, 40, name);
    return {
      staff: staff.map((s) => ({
        id: s.id,
        fullName: s.fullName,
        email: s.email,
        roles: s.roles as StaffRole[],
        disabled: s.disabledAt !== null,
      })),
      participants: people.map((p) => ({
        id: p.id,
        name: `${p.preferredName ?? p.givenName} ${p.familyName}`,
        mobile: p.mobile,
        email: p.email,
      })),
    };
  }

  /** The newest messages of the kinds this person's roles would receive or act on. */
  async outbox(ctx: RequestContext & { actor: StaffActor }): Promise<NotificationRow[]> {
    const trustId = ctx.actor.trustId;
    if (!can(ctx.actor, 'outbox.view', { type: 'trust', trustId })) throw new NotFoundError('page');
    const templates = (Object.keys(NOTIFY_TEMPLATES) as NotificationTemplate[]).filter((template) =>
      can(ctx.actor, 'outbox.view', { type: 'notification', trustId, template }),
    );
    const rows = await this.notifications.latest(this.db, 50, templates);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'outbox.viewed',
      entityType: 'notification',
      entityId: null,
    });
    return rows;
  }
}
