import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusyTasks } from '../../test-support/busy-worker.ts';
import { WorkerPool, WorkersBusyError, WorkerTaskError } from './worker-pool.ts';

const script = new URL('../../test-support/busy-worker.ts', import.meta.url);
const pools: WorkerPool<BusyTasks>[] = [];
const pool = (size: number, queueLimit: number, idleMs?: number) => {
  const created = new WorkerPool<BusyTasks>(script, { size, queueLimit, idleMs });
  pools.push(created);
  return created;
};

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('a pool of worker threads', () => {
  it('runs busy work on another thread while the event loop stays free', async () => {
    const workers = pool(1, 4);
    // Start the worker first, so its start-up (loading TypeScript) is not measured.
    await workers.run('spin', { ms: 1 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const result = await workers.run('spin', { ms: 800 });
    delay.disable();
    expect(result.threadId).not.toBe(threadId);
    // Run on this thread, 800 ms of spinning would hold the loop for all of it.
    expect(delay.max / 1e6).toBeLessThan(300);
  });

  it('runs its work below the event loop’s priority (on Linux, where a thread has its own)', async () => {
    const workers = pool(1, 1);
    const { priority } = await workers.run('spin', { ms: 1 });
    expect(priority).toBe(process.platform === 'linux' ? 10 : os.getPriority());
  });

  it('runs at most `size` tasks at once, queues a few, and refuses more at once', async () => {
    const workers = pool(2, 1);
    const running = [workers.run('spin', { ms: 400 }), workers.run('spin', { ms: 400 })];
    const queued = workers.run('spin', { ms: 1 });
    await expect(workers.run('spin', { ms: 1 })).rejects.toBeInstanceOf(WorkersBusyError);
    const ids = new Set((await Promise.all(running)).map((r) => r.threadId));
    expect(ids.size).toBe(2);
    expect((await queued).threadId).toBeGreaterThan(0);
    expect(workers.stats()).toEqual({ workers: 2, running: 0, queued: 0 });
  });

  it('fails a task with its error and keeps the worker for the next one', async () => {
    const workers = pool(1, 2);
    await expect(workers.run('fail', { message: 'the picture is broken' })).rejects.toThrow(
      /the picture is broken/,
    );
    expect((await workers.run('spin', { ms: 1 })).threadId).toBeGreaterThan(0);
  });

  it('fails only the task whose worker crashed, and starts a new worker for the next', async () => {
    const workers = pool(1, 2);
    const first = (await workers.run('spin', { ms: 1 })).threadId;
    await expect(workers.run('crash', {})).rejects.toBeInstanceOf(WorkerTaskError);
    const next = (await workers.run('spin', { ms: 1 })).threadId;
    expect(next).not.toBe(first);
  });

  it('lets an idle worker go, and starts one again when work comes', async () => {
    const workers = pool(1, 2, 50);
    await workers.run('spin', { ms: 1 });
    expect(workers.stats().workers).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(workers.stats().workers).toBe(0);
    expect((await workers.run('spin', { ms: 1 })).threadId).toBeGreaterThan(0);
  });

  it('refuses work once closed', async () => {
    const workers = pool(1, 2);
    await workers.close();
    await expect(workers.run('spin', { ms: 1 })).rejects.toBeInstanceOf(WorkerTaskError);
  });
});
