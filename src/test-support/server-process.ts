/**
 * `node src/server.ts` in a child process, as an operator starts it: for what only a whole
 * process shows (it survives a fault, it stops with one clear message).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server.ts');

/** Settings every child gets unless the test says otherwise; never the parent's own. */
const BASE_ENV = {
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'warn',
  WORKER_THREADS: '1',
};

function spawnServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [serverModule], {
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

export interface RunningServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it has written so far, standard output and error together. */
  output(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts the server and waits for its banner. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const { child, output } = spawnServer(env);
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the server did not start in ${String(timeoutMs)} ms:\n${output()}`));
    }, timeoutMs);
    const look = () => {
      const match = /Greenleaf is running at (http:\/\/\S+)/.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server stopped while starting (${String(child.exitCode)}):\n${output()}`));
    });
  });
  return {
    url,
    child,
    output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the server expecting it to refuse: its exit code, what it wrote, and how long it took. */
export async function startServerExpectingFailure(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const { child, output } = spawnServer(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output: output(), ms: Date.now() - started };
}
