/**
 * Where checkpoints go: outside the database, so whoever can change the database cannot
 * quietly change them too. Each line is appended and flushed to disk before the next is taken.
 */
import { existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import {
  AUDIT_CHECKPOINT_LOG_MESSAGE,
  checkpointFileLine,
  type SignedCheckpoint,
} from './audit-checkpoint.ts';

export interface CheckpointSink {
  /** Where the lines go, for the start-up banner and messages. */
  readonly description: string;
  append(checkpoint: SignedCheckpoint): Promise<void>;
}

/** An append-only JSON-lines file: the embedded database's default, or AUDIT_CHECKPOINT_FILE. */
export class FileCheckpointSink implements CheckpointSink {
  readonly description: string;
  private readonly file: string;

  constructor(file: string) {
    this.file = path.resolve(file);
    this.description = this.file;
  }

  async append(checkpoint: SignedCheckpoint): Promise<void> {
    const created = !existsSync(this.file);
    if (created) await mkdir(path.dirname(this.file), { recursive: true });
    // 'a': every write goes to the end, whatever else has the file open.
    const handle = await open(this.file, 'a', 0o640);
    try {
      await handle.write(checkpointFileLine(checkpoint));
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A new file's name is only durable once its folder is flushed too.
    if (created) {
      const folder = await open(path.dirname(this.file), 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    }
  }
}

/**
 * PostgreSQL without AUDIT_CHECKPOINT_FILE: one structured log line (pino's shape, level info)
 * with a stable message, written whatever LOG_LEVEL says, for the operator's log store to keep.
 */
export class LogCheckpointSink implements CheckpointSink {
  readonly description = `the log (lines with the message "${AUDIT_CHECKPOINT_LOG_MESSAGE}")`;
  private readonly write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => process.stdout.write(line)) {
    this.write = write;
  }

  append(checkpoint: SignedCheckpoint): Promise<void> {
    const line = {
      level: 30,
      time: Date.parse(checkpoint.takenAt),
      msg: AUDIT_CHECKPOINT_LOG_MESSAGE,
      auditCheckpoint: checkpoint,
    };
    this.write(`${JSON.stringify(line)}\n`);
    return Promise.resolve();
  }
}
