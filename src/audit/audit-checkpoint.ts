/**
 * Checkpoints: every chain's count and head (seq and hash) at one moment, signed with the
 * audit key and kept outside the database (an append-only file, or the log). The verifier
 * compares the database with them, so a deleted tail, a deleted chain or a re-hashed chain is
 * named even though nothing inside the database shows it.
 *
 * One JSON line each: {"chains":[{"chain","count","hash","seq"}…],"keyId","sig","takenAt","v":1}.
 * In the log, the line is the `auditCheckpoint` field of a line whose message is
 * AUDIT_CHECKPOINT_LOG_MESSAGE, so an operator can hand the verifier a log export as it is.
 */
import { z } from 'zod';
import { canonicalJson } from './audit-chain.ts';
import type { AuditKey } from './audit-key.ts';
import type { ChainHead } from './audit.repository.ts';

export const AUDIT_CHECKPOINT_LOG_MESSAGE = 'audit checkpoint';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const checkpointSchema = z.strictObject({
  v: z.literal(1),
  takenAt: z.iso.datetime(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  chains: z.array(
    z.strictObject({
      chain: z.number().int().min(0).max(63),
      count: z.number().int().min(1),
      seq: z.number().int().min(1),
      hash: hex64,
    }),
  ),
  sig: hex64,
});

export type SignedCheckpoint = z.infer<typeof checkpointSchema>;

/** A checkpoint whose signature held, with where it was read from. */
export interface CheckpointRef {
  takenAt: string;
  chains: ChainHead[];
  source: string;
  line: number;
}

/** Something a checkpoint source says that cannot be trusted, in words for the operator. */
export interface CheckpointProblem {
  kind: 'checkpoint';
  message: string;
}

function signature(key: AuditKey, unsigned: Omit<SignedCheckpoint, 'sig'>): string {
  // The MAC covers a canonical form, so a log store that reorders keys or spacing does no harm.
  return key.mac(canonicalJson(unsigned));
}

export function signCheckpoint(key: AuditKey, takenAt: Date, heads: readonly ChainHead[]): SignedCheckpoint {
  const unsigned = {
    v: 1 as const,
    takenAt: takenAt.toISOString(),
    keyId: key.id,
    chains: heads.map(({ chain, count, seq, hash }) => ({ chain, count, seq, hash })),
  };
  return { ...unsigned, sig: signature(key, unsigned) };
}

/** The checkpoint as it is written to a checkpoint file: one line of canonical JSON. */
export function checkpointFileLine(checkpoint: SignedCheckpoint): string {
  return `${canonicalJson(checkpoint)}\n`;
}

function record(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CUT_SHORT =
  'is not a whole checkpoint: cut short (the service may have stopped while writing it) or changed. It was not used.';
const GARBLED = 'is not a checkpoint: it was changed or damaged. It was not used.';

/**
 * Reads checkpoint lines (a checkpoint file, or log lines) one at a time, so a file of any
 * size can be read as a stream, and keeps those signed with this key. Every line that is not
 * a good checkpoint is reported, never thrown; log lines about other things are passed over.
 */
export class CheckpointReader {
  readonly checkpoints: CheckpointRef[] = [];
  readonly problems: CheckpointProblem[] = [];
  private readonly key: AuditKey;
  private readonly source: string;
  private lineNumber = 0;
  /** A line that was not JSON: cut short if nothing follows it, else garbled. */
  private unparsed: number | undefined;

  constructor(key: AuditKey, source: string) {
    this.key = key;
    this.source = source;
  }

  private problem(line: number, why: string): void {
    this.problems.push({ kind: 'checkpoint', message: `Line ${String(line)} of ${this.source} ${why}` });
  }

  read(raw: string): void {
    const line = ++this.lineNumber;
    if (raw.trim() === '') return;
    if (this.unparsed !== undefined) this.problem(this.unparsed, GARBLED);
    this.unparsed = undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      this.unparsed = line;
      return;
    }
    if (record(value) && 'auditCheckpoint' in value) {
      value = value.auditCheckpoint;
      // Some log shippers turn nested objects into strings.
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          // Left as it is: reported below as not a checkpoint.
        }
      }
    } else if (record(value) && 'msg' in value && !('sig' in value)) return;
    this.check(line, value);
  }

  private check(line: number, value: unknown): void {
    const parsed = checkpointSchema.safeParse(value);
    if (!parsed.success) {
      this.problem(
        line,
        'is not a checkpoint in the expected form: it was changed or damaged. It was not used.',
      );
      return;
    }
    const { sig, ...unsigned } = parsed.data;
    if (unsigned.keyId !== this.key.id) {
      this.problem(
        line,
        `was signed with another audit key (key id ${unsigned.keyId}; this key's id is ${this.key.id}). It was not used.`,
      );
      return;
    }
    if (signature(this.key, unsigned) !== sig) {
      this.problem(
        line,
        'does not match its signature: it was changed after it was written. It was not used.',
      );
      return;
    }
    this.checkpoints.push({ takenAt: unsigned.takenAt, chains: unsigned.chains, source: this.source, line });
  }

  finish(): { checkpoints: CheckpointRef[]; problems: CheckpointProblem[] } {
    if (this.unparsed !== undefined) this.problem(this.unparsed, CUT_SHORT);
    this.unparsed = undefined;
    return { checkpoints: this.checkpoints, problems: this.problems };
  }
}

/** Checkpoint lines already in memory (see CheckpointReader). */
export function readCheckpoints(
  key: AuditKey,
  text: string,
  source: string,
): { checkpoints: CheckpointRef[]; problems: CheckpointProblem[] } {
  const reader = new CheckpointReader(key, source);
  for (const line of text.split('\n')) reader.read(line);
  return reader.finish();
}
