/**
 * A worker for WorkerPool's own tests: keeps its thread busy for a while, fails, or crashes.
 */
import os from 'node:os';
import { threadId } from 'node:worker_threads';
import { serveTasks } from '../platform/workers/serve-tasks.ts';

export interface BusyTasks {
  spin: { input: { ms: number }; output: { threadId: number; priority: number } };
  fail: { input: { message: string }; output: never };
  crash: { input: Record<string, never>; output: never };
}

serveTasks<BusyTasks>({
  spin: async ({ ms }) => {
    // Busy, not waiting: this is what a long PDF does to the thread it runs on.
    const until = performance.now() + ms;
    while (performance.now() < until);
    return { threadId, priority: os.getPriority() };
  },
  fail: async ({ message }) => {
    throw new Error(message);
  },
  crash: async () => {
    process.exit(3);
  },
});
