/**
 * The worker side of `WorkerPool`: a worker module calls `serveTasks` with one handler per
 * task name. Each request is answered once, with the handler's result or its error's message
 * (a thrown error never takes the worker down).
 *
 * On Linux the worker's thread first lowers its own priority (nice 10: a thread's nice value is
 * its own there), so when the machine is busy the event loop gets the CPU before a PDF does and
 * other requests are still answered quickly. Elsewhere the same call would lower the whole
 * process, so it is not made.
 */
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { TaskMap } from './worker-pool.ts';

export interface TaskRequest {
  id: number;
  task: string;
  input: unknown;
}

export type TaskReply =
  { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };

/** One handler per task of the map, taking its input and giving its output. */
export type TaskHandlers<Tasks extends TaskMap<Tasks>> = {
  [K in keyof Tasks]: (input: Tasks[K]['input']) => Promise<Tasks[K]['output']>;
};

export function serveTasks<Tasks extends TaskMap<Tasks>>(handlers: TaskHandlers<Tasks>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs only inside a worker thread');
  if (process.platform === 'linux') os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  port.on('message', (request: TaskRequest) => {
    const handler = (handlers as Partial<Record<string, (input: unknown) => Promise<unknown>>>)[request.task];
    const answer = async (): Promise<TaskReply> => {
      if (!handler) return { id: request.id, ok: false, message: `no task named ${request.task}` };
      try {
        return { id: request.id, ok: true, output: await handler(request.input) };
      } catch (error) {
        return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    };
    void answer().then((reply) => {
      port.postMessage(reply);
    });
  });
}
