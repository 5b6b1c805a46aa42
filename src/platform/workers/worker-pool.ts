/**
 * A small pool of worker threads for CPU-heavy work that must not hold up the event loop: the
 * recovery plan's PDF (pdfkit is pure JavaScript) and decoding and cleaning uploads. While a
 * worker builds a 40-page PDF, the main thread goes on answering every other request.
 *
 * - At most `size` workers (by default one per core the process may use), started on first
 *   need and stopped after `idleMs` without work, so an instance that never makes a PDF never
 *   pays for pdfkit and its fonts.
 * - A bounded queue: when every worker is busy and `queueLimit` tasks already wait, `run`
 *   refuses at once with `WorkersBusyError`, so callers can say "try again" instead of letting
 *   requests pile up behind each other.
 * - A worker that crashes fails only its own task; the next task starts a fresh one.
 *
 * The worker module (a .ts file: Node runs TypeScript directly, in workers too) answers with
 * `serveTasks` (serve-tasks.ts). Messages are structured clones: a Buffer arrives as a
 * Uint8Array, a Date as a Date.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TaskReply, TaskRequest } from './serve-tasks.ts';

/** What each task takes and gives back, by name (an interface of `name: { input; output }`). */
export type TaskMap<T> = { [K in keyof T]: { input: unknown; output: unknown } };

export class WorkersBusyError extends Error {
  constructor() {
    super('every worker is busy and the queue is full');
    this.name = 'WorkersBusyError';
  }
}

/** A task that failed inside its worker (or took its worker down with it). */
export class WorkerTaskError extends Error {
  constructor(task: string, message: string) {
    super(`worker task ${task} failed: ${message}`);
    this.name = 'WorkerTaskError';
  }
}

export interface WorkerPoolOptions {
  size: number;
  queueLimit: number;
  /** A worker with nothing to do for this long exits and gives its memory back. */
  idleMs?: number;
  /** Runs once before the first worker starts (for native modules the main thread must hold). */
  beforeFirstStart?: () => Promise<unknown>;
}

/** One per core this process may use (a container's CPU limit counts), at least one. */
export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism());
}

interface Pending {
  id: number;
  task: string;
  input: unknown;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

export class WorkerPool<Tasks extends TaskMap<Tasks>> {
  readonly size: number;
  readonly #script: URL;
  readonly #queueLimit: number;
  readonly #idleMs: number;
  readonly #queue: Pending[] = [];
  readonly #slots = new Set<Slot>();
  #prepared: Promise<unknown> | undefined;
  readonly #beforeFirstStart: (() => Promise<unknown>) | undefined;
  #nextId = 1;
  #closed = false;

  constructor(script: URL, options: WorkerPoolOptions) {
    this.#script = script;
    this.size = Math.max(1, options.size);
    this.#queueLimit = Math.max(0, options.queueLimit);
    this.#idleMs = options.idleMs ?? 120_000;
    this.#beforeFirstStart = options.beforeFirstStart;
  }

  /** Runs a task on a worker; refuses at once (WorkersBusyError) when the queue is full. */
  async run<K extends keyof Tasks & string>(task: K, input: Tasks[K]['input']): Promise<Tasks[K]['output']> {
    if (this.#closed) throw new WorkerTaskError(task, 'the pool is closed');
    // Tasks not yet handed to a worker (queued) can use the idle workers and those not started.
    const idle = [...this.#slots].filter((slot) => !slot.current).length;
    const capacity = idle + this.size - this.#slots.size;
    if (this.#queue.length >= capacity + this.#queueLimit) throw new WorkersBusyError();
    const done = new Promise<Tasks[K]['output']>((resolve, reject) => {
      this.#queue.push({
        id: this.#nextId++,
        task,
        input,
        resolve,
        reject,
      });
    });
    this.#prepared ??= this.#beforeFirstStart?.() ?? Promise.resolve();
    await this.#prepared;
    this.#dispatch();
    return done;
  }

  /** Tasks running and waiting, for tests and the bench. */
  stats(): { workers: number; running: number; queued: number } {
    const running = [...this.#slots].filter((slot) => slot.current).length;
    return { workers: this.#slots.size, running, queued: this.#queue.length };
  }

  /** Refuses new tasks, fails the waiting ones, lets running ones finish (up to 5 s), then stops. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) pending.reject(new WorkerTaskError(pending.task, 'closed'));
    const deadline = Date.now() + 5_000;
    while ([...this.#slots].some((slot) => slot.current) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all([...this.#slots].map((slot) => this.#stop(slot)));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = [...this.#slots].find((s) => !s.current) ?? this.#start();
      if (!slot) return;
      const pending = this.#queue.shift();
      if (!pending) return;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.current = pending;
      slot.worker.ref();
      const request: TaskRequest = { id: pending.id, task: pending.task, input: pending.input };
      slot.worker.postMessage(request);
    }
  }

  #start(): Slot | undefined {
    if (this.#slots.size >= this.size || this.#closed) return undefined;
    const worker = new Worker(this.#script);
    const slot: Slot = { worker, current: undefined, idleTimer: undefined };
    this.#slots.add(slot);
    worker.on('message', (reply: TaskReply) => {
      const pending = slot.current;
      if (pending?.id !== reply.id) return;
      slot.current = undefined;
      if (reply.ok) pending.resolve(reply.output);
      else pending.reject(new WorkerTaskError(pending.task, reply.message));
      this.#idle(slot);
      this.#dispatch();
    });
    const lost = (why: string) => {
      if (!this.#slots.delete(slot)) return;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.current?.reject(new WorkerTaskError(slot.current.task, why));
      slot.current = undefined;
      this.#dispatch();
    };
    worker.on('error', (error: Error) => {
      lost(error.message);
    });
    worker.on('exit', (code) => {
      lost(`the worker stopped (exit code ${String(code)})`);
    });
    return slot;
  }

  /** An idle worker does not keep the process alive, and exits after `idleMs`. */
  #idle(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      if (!slot.current) void this.#stop(slot);
    }, this.#idleMs);
    slot.idleTimer.unref();
  }

  async #stop(slot: Slot): Promise<void> {
    this.#slots.delete(slot);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    await slot.worker.terminate();
  }
}
