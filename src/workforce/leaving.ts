/**
 * When a member of staff leaves or is away for a long time and their account is disabled
 * (issue 15, part 7), in the disabling transaction: everyone a peer support worker supports is
 * put on the reallocation list (the coordinator's waiting list, against the working-day
 * target), and workers who named them as supervisor go back to their team's supervisors, who
 * then receive their concerns, alerts, reminders, requests for support and 1:1s
 * (`supervisorsOf`); requests for support already sent to them are taken over the same way.
 * Requests for peer support they had taken go back to the other experienced workers.
 */
import type { Db } from '../platform/database/database.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { PeerSupportRepository } from './peer-support.repository.ts';

export const LEFT_REASON = 'Their peer support worker has left or is away for a long time';

export interface HandOver {
  /** Participants now waiting for a new worker. */
  participantIds: string[];
  /** Workers who had named them as supervisor, now with their team's supervisors. */
  superviseeIds: string[];
  /** Requests for peer support they had taken, open to the other experienced workers again. */
  peerRequestIds: string[];
}

export class WorkforceLeaving {
  private readonly participants: Pick<ParticipantRepository, 'requestReallocationForWorker'>;
  private readonly staff: Pick<StaffRepository, 'clearNamedSupervisor'>;
  private readonly peerSupport: Pick<PeerSupportRepository, 'release'>;

  constructor(
    participants: Pick<ParticipantRepository, 'requestReallocationForWorker'>,
    staff: Pick<StaffRepository, 'clearNamedSupervisor'>,
    peerSupport: Pick<PeerSupportRepository, 'release'>,
  ) {
    this.participants = participants;
    this.staff = staff;
    this.peerSupport = peerSupport;
  }

  async handOver(tx: Db, staffId: string, at: Date): Promise<HandOver> {
    const participantIds = await this.participants.requestReallocationForWorker(tx, staffId, at, LEFT_REASON);
    const superviseeIds = await this.staff.clearNamedSupervisor(tx, staffId);
    const peerRequestIds = await this.peerSupport.release(tx, staffId);
    return { participantIds, superviseeIds, peerRequestIds };
  }
}
