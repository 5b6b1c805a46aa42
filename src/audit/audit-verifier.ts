/**
 * Checks the audit log, event by event in global order, against the key and the checkpoints.
 * It never stops at the first damage: it names every chain that is broken, cut short, missing
 * or rewritten, so an operator sees the whole extent. Only the first few problems of one kind
 * in one chain are listed (a damaged chain would otherwise fill the screen).
 */
import { GENESIS_HASH, keyedChainHash, unkeyedChainHash } from './audit-chain.ts';
import type { CheckpointProblem, CheckpointRef } from './audit-checkpoint.ts';
import type { AuditKey } from './audit-key.ts';
import type { AuditEventRow } from './audit.repository.ts';

export type AuditProblemKind =
  | 'link'
  | 'contents'
  | 'unkeyed'
  | 'unreadable'
  | 'missing-tail'
  | 'missing-chain'
  | 'missing-head'
  | 'rewritten'
  | 'count'
  | 'no-checkpoints';

export type AuditProblem =
  { kind: AuditProblemKind; chain: number | null; seq: number | null; message: string } | CheckpointProblem;

export interface AuditVerdict {
  ok: boolean;
  /** Events checked. */
  checked: number;
  /** Of those, written before the chain was keyed and checked by their unkeyed hash. */
  unkeyed: number;
  /** Chains holding events. */
  chains: number;
  /** Checkpoints with a good signature that the log was compared with. */
  checkpoints: number;
  latestCheckpoint: string | null;
  problems: AuditProblem[];
}

interface Target {
  checkpoint: CheckpointRef;
  count: number;
  seq: number;
  hash: string;
}

interface ChainState {
  count: number;
  lastHash: string;
  lastSeq: number;
  keyedSeen: boolean;
  targets: Target[];
  nextTarget: number;
  reported: Map<AuditProblemKind, number>;
}

const LISTED_PER_KIND = 3;

/** "2026-12-03 10:05:00 UTC": when a checkpoint was taken, as a person reads it. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const events = (n: number) => (n === 1 ? '1 event' : `${String(n)} events`);

export class AuditLogVerifier {
  private readonly key: AuditKey;
  private readonly chains = new Map<number, ChainState>();
  private readonly checkpoints: CheckpointRef[];
  /** The earliest checkpoint's heads: every event written before the key must be in it. */
  private readonly earliest: Map<number, number> | undefined;
  private readonly problems: AuditProblem[] = [];
  private checked = 0;
  private unkeyed = 0;

  constructor(key: AuditKey, checkpoints: readonly CheckpointRef[]) {
    this.key = key;
    this.checkpoints = [...checkpoints].sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    const first = this.checkpoints[0];
    this.earliest = first && new Map(first.chains.map((c) => [c.chain, c.seq]));
    const seen = new Set<string>();
    for (const checkpoint of this.checkpoints) {
      for (const head of checkpoint.chains) {
        const id = `${String(head.chain)}/${String(head.seq)}/${String(head.count)}/${head.hash}`;
        if (seen.has(id)) continue;
        seen.add(id);
        this.state(head.chain).targets.push({
          checkpoint,
          count: head.count,
          seq: head.seq,
          hash: head.hash,
        });
      }
    }
    for (const state of this.chains.values()) state.targets.sort((a, b) => a.seq - b.seq);
  }

  private state(chain: number): ChainState {
    let state = this.chains.get(chain);
    if (!state) {
      state = {
        count: 0,
        lastHash: GENESIS_HASH,
        lastSeq: 0,
        keyedSeen: false,
        targets: [],
        nextTarget: 0,
        reported: new Map(),
      };
      this.chains.set(chain, state);
    }
    return state;
  }

  private report(
    state: ChainState,
    kind: AuditProblemKind,
    chain: number,
    seq: number | null,
    message: string,
  ) {
    const listed = state.reported.get(kind) ?? 0;
    state.reported.set(kind, listed + 1);
    if (listed < LISTED_PER_KIND) this.problems.push({ kind, chain, seq, message });
  }

  /** Rows must come in ascending seq order. */
  visit(row: AuditEventRow): void {
    const { seq, chain } = row;
    const state = this.state(chain);
    this.passTargetsBefore(state, chain, seq);
    state.count += 1;
    this.checked += 1;
    try {
      this.checkEvent(state, row);
    } catch (error) {
      this.report(
        state,
        'unreadable',
        chain,
        seq,
        `Chain ${String(chain)}: event ${String(seq)} could not be checked (${(error as Error).message}).`,
      );
    }
    state.lastHash = row.hash;
    state.lastSeq = seq;
    this.compareTargetsAt(state, row);
  }

  private checkEvent(state: ChainState, row: AuditEventRow): void {
    const { prevHash, hash, chain, seq, keyed, ...fields } = row;
    const name = `Chain ${String(chain)}: event ${String(seq)}`;
    if (prevHash !== state.lastHash) {
      this.report(
        state,
        'link',
        chain,
        seq,
        `${name} does not link to the event before it in its chain: events were deleted or put in before it.`,
      );
    }
    if (keyed) {
      state.keyedSeen = true;
      if (keyedChainHash(this.key, prevHash, seq, fields) !== hash) {
        this.report(
          state,
          'contents',
          chain,
          seq,
          `${name} does not match its signed hash: it was changed after it was written, or signed with another key.`,
        );
      }
      return;
    }
    this.unkeyed += 1;
    if (state.keyedSeen) {
      this.report(
        state,
        'unkeyed',
        chain,
        seq,
        `${name} is not signed with the key, though events before it are: it was rewritten.`,
      );
    } else if (seq > (this.earliest?.get(chain) ?? 0)) {
      // Events from before the key are vouched for by the first checkpoint, taken when the
      // service first starts with a key; an unsigned event it does not cover is not genuine.
      this.report(
        state,
        'unkeyed',
        chain,
        seq,
        `${name} is not signed with the key, and no checkpoint vouches for it: it was rewritten or added.`,
      );
    }
    if (unkeyedChainHash(prevHash, seq, fields) !== hash) {
      this.report(
        state,
        'contents',
        chain,
        seq,
        `${name} does not match its hash: it was changed after it was written.`,
      );
    }
  }

  /** Checkpointed heads the walk has gone past without meeting: those events are gone. */
  private passTargetsBefore(state: ChainState, chain: number, seq: number): void {
    for (
      let target = state.targets[state.nextTarget];
      target && target.seq < seq;
      target = state.targets[++state.nextTarget]
    ) {
      this.report(
        state,
        'missing-head',
        chain,
        target.seq,
        `Chain ${String(chain)}: event ${String(target.seq)}, its last event at the checkpoint of ${when(target.checkpoint.takenAt)}, is missing.`,
      );
    }
  }

  private compareTargetsAt(state: ChainState, row: AuditEventRow): void {
    for (
      let target = state.targets[state.nextTarget];
      target?.seq === row.seq;
      target = state.targets[++state.nextTarget]
    ) {
      const at = `the checkpoint of ${when(target.checkpoint.takenAt)}`;
      if (target.hash !== row.hash) {
        this.report(
          state,
          'rewritten',
          row.chain,
          row.seq,
          `Chain ${String(row.chain)}: event ${String(row.seq)} is not the event recorded at ${at}: the chain was rewritten up to it.`,
        );
      } else if (target.count !== state.count) {
        this.report(
          state,
          'count',
          row.chain,
          row.seq,
          `Chain ${String(row.chain)} held ${events(target.count)} up to event ${String(row.seq)} at ${at}, but holds ${events(state.count)} now.`,
        );
      }
    }
  }

  finish(): AuditVerdict {
    for (const [chain, state] of [...this.chains.entries()].sort(([a], [b]) => a - b)) {
      for (const [kind, found] of state.reported) {
        if (found <= LISTED_PER_KIND) continue;
        const more = found - LISTED_PER_KIND;
        this.problems.push({
          kind,
          chain,
          seq: null,
          message: `Chain ${String(chain)}: ${String(more)} more ${more === 1 ? 'event' : 'events'} with the same problem (${kind}), not listed.`,
        });
      }
      const last = state.targets.at(-1);
      if (!last || state.nextTarget >= state.targets.length) continue;
      const at = `checkpointed at ${when(last.checkpoint.takenAt)}`;
      if (state.count === 0) {
        this.problems.push({
          kind: 'missing-chain',
          chain,
          seq: last.seq,
          message: `Chain ${String(chain)} is missing: all ${events(last.count)} ${at} (up to event ${String(last.seq)}) are gone.`,
        });
      } else {
        const missing = last.count - state.count;
        this.problems.push({
          kind: 'missing-tail',
          chain,
          seq: last.seq,
          message:
            missing > 0
              ? `Chain ${String(chain)}: ${missing === 1 ? `the last event ${at} is` : `the last ${String(missing)} events ${at} are`} missing; its head should be event ${String(last.seq)}, but the chain ends at event ${String(state.lastSeq)}.`
              : `Chain ${String(chain)}: its head should be event ${String(last.seq)} (${at}), but the chain ends at event ${String(state.lastSeq)}.`,
        });
      }
    }
    return {
      ok: this.problems.length === 0,
      checked: this.checked,
      unkeyed: this.unkeyed,
      chains: [...this.chains.values()].filter((s) => s.count > 0).length,
      checkpoints: this.checkpoints.length,
      latestCheckpoint: this.checkpoints.at(-1)?.takenAt ?? null,
      problems: this.problems,
    };
  }
}
