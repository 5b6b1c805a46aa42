/**
 * The embedded database's control socket: a unix socket in DATA_DIR, readable and writable by
 * the service's own user only, never on the network. PGlite is held by one process, so while
 * the service runs only it can copy its database: `npm run backup` and `npm run audit:verify`
 * ask it here for a consistent copy. One request per connection: the line `copy`, answered by
 * `OK <bytes>` and the copy (a gzipped tar of the database folder), or `ERROR <message>`.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const CONTROL_SOCKET_NAME = 'control.sock';

export function controlSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), CONTROL_SOCKET_NAME);
}

export interface ControlSocket {
  close(): Promise<void>;
}

/** Serves copies of the database on the socket; the caller holds the folder's lock. */
export async function serveControlSocket(
  socketPath: string,
  copy: () => Promise<Buffer>,
  onError: (error: unknown) => void,
): Promise<ControlSocket> {
  // Left by a process that stopped suddenly: this one holds the folder's lock, so it is stale.
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const server = net.createServer((socket) => {
    let request = '';
    socket.setEncoding('utf8');
    socket.on('error', onError);
    socket.on('data', (chunk: string) => {
      request += chunk;
      if (!request.includes('\n')) return;
      socket.removeAllListeners('data');
      if (request.trim() !== 'copy') {
        socket.end('ERROR unknown request\n');
        return;
      }
      copy().then(
        (bytes) => {
          socket.write(`OK ${bytes.length}\n`);
          socket.end(bytes);
        },
        (error: unknown) => {
          onError(error);
          socket.end(`ERROR ${(error as Error).message.replace(/\n/g, ' ')}\n`);
        },
      );
    });
  });
  // Owner-only from the moment it exists: the umask covers the gap before chmod.
  const umask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(socketPath, 0o600);
  server.on('error', onError);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

export class ControlSocketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlSocketError';
  }
}

/**
 * Asks the running service for a copy of its database. Undefined when no service listens on
 * the socket (none running, or one stopped suddenly and left it behind).
 */
export async function requestCopy(socketPath: string): Promise<Buffer | undefined> {
  if (!existsSync(socketPath)) return undefined;
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.createConnection(socketPath, () => {
      socket.write('copy\n');
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    socket.on('end', () => {
      const answer = Buffer.concat(chunks);
      const newline = answer.indexOf(10);
      const header = answer.subarray(0, newline === -1 ? answer.length : newline).toString('utf8');
      const ok = /^OK (\d+)$/.exec(header);
      if (!ok) {
        reject(
          new ControlSocketError(
            `The running service could not copy its database: ${header.replace(/^ERROR /, '')}`,
          ),
        );
        return;
      }
      const body = answer.subarray(newline + 1);
      if (body.length !== Number(ok[1])) {
        reject(new ControlSocketError('The copy from the running service was cut short: try again.'));
        return;
      }
      resolve(body);
    });
  });
}
