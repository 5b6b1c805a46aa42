/**
 * The embedded database's exclusive lock: one process per data folder (two lose rows). The
 * lock file names its holder by process id, the moment that process started and its command.
 * A process id is reused once its process has gone, so an id alone can point at an unrelated
 * program (after a reboot, say) and block start-up for good; on Linux the start time and
 * command in `/proc` tell the holder from a stranger with its old id.
 */
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface LockHolder {
  pid: number;
  /** The process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22), where known. */
  started?: string;
  /** The process's command line, as `/proc/<pid>/cmdline` gives it (arguments joined by spaces). */
  command?: string;
}

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, holder: LockHolder) {
    super(
      `Another Greenleaf process (pid ${String(holder.pid)}) is already using the embedded database in ${dataDir}.\n` +
        (holder.command ? `Its command: ${holder.command}\n` : '') +
        'Two processes on one embedded database lose data, so this one will not start.\n' +
        'Stop the other process first, or set DATA_DIR to a different folder.',
    );
    this.name = 'DatabaseLockedError';
  }
}

/** Whether a process with this id is running (EPERM: it is, as another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What `/proc` says about a running process; undefined where there is no `/proc` (not Linux). */
export function describeProcess(pid: number): Required<Omit<LockHolder, 'pid'>> | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) is in brackets and may hold spaces and brackets itself.
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
    const command = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
      .split('\0')
      .join(' ')
      .trim();
    return { started, command };
  } catch {
    return undefined;
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  const text = readFileSync(lockPath, 'utf8').trim();
  // Older locks hold the process id alone.
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0
      ? { pid: parsed.pid, started: parsed.started, command: parsed.command }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Why the holder named in the lock no longer holds it, or undefined when it still does. */
function whyStale(holder: LockHolder | undefined): string | undefined {
  if (!holder) return 'the lock file names no process';
  if (!processIsAlive(holder.pid)) return `process ${String(holder.pid)} has stopped`;
  const now = describeProcess(holder.pid);
  if (!now) return undefined; // No /proc: a live process with that id is taken to be the holder.
  if (holder.started !== undefined && holder.started !== now.started) {
    return `process id ${String(holder.pid)} now belongs to another program, started later (${now.command || 'no command line'})`;
  }
  // An older lock has no start time: the holder was a Node process running Greenleaf.
  if (holder.started === undefined && !/\bnode\b|greenleaf/i.test(now.command)) {
    return `process id ${String(holder.pid)} now belongs to another program (${now.command || 'no command line'})`;
  }
  return undefined;
}

/** The process holding the folder's lock, if one still does (a stale lock names nobody). */
export function liveLockHolder(dataDir: string): LockHolder | undefined {
  const lockPath = path.join(dataDir, 'greenleaf.lock');
  if (!existsSync(lockPath)) return undefined;
  const holder = readHolder(lockPath);
  return holder && whyStale(holder) === undefined ? holder : undefined;
}

function thisProcess(): LockHolder {
  const described = describeProcess(process.pid);
  return {
    pid: process.pid,
    ...(described ?? { command: process.argv.join(' ') }),
  };
}

/**
 * Takes the lock file in `dataDir`; throws DatabaseLockedError while its holder runs, takes a
 * stale one over (with a warning saying why). Returns the unlock.
 */
export function lockFile(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'greenleaf.lock');
  const me = thisProcess();
  const mine = JSON.stringify(me);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, mine);
      } catch (error) {
        // A full disk: no empty lock file left behind.
        closeSync(fd);
        unlinkSync(lockPath);
        throw error;
      }
      closeSync(fd);
      return () => {
        if (existsSync(lockPath) && readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      const stale = holder?.pid === process.pid ? 'it names this process' : whyStale(holder);
      if (holder && stale === undefined) throw new DatabaseLockedError(dataDir, holder);
      process.emitWarning(`Took over the stale lock ${lockPath}: ${stale ?? ''}.`, 'DatabaseLockWarning');
      unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}
