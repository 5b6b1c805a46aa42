/**
 * The audit key: the HMAC-SHA256 key that signs every audit event and every checkpoint. It is
 * held outside the database (AUDIT_KEY from the secret store), so someone who can change the
 * database can still neither rewrite an event nor sign a checkpoint that hides it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Config } from '../config.ts';

export const AUDIT_KEY_MIN_BYTES = 32;

/** How to make one, in every message that asks for a key. */
export const AUDIT_KEY_HOW_TO = `at least ${String(AUDIT_KEY_MIN_BYTES)} random bytes as hex or base64, for example from \`openssl rand -base64 32\``;

export class AuditKey {
  // A private field: never shown by console.log, util.inspect or JSON.stringify.
  readonly #bytes: Buffer;
  /** A fingerprint an operator can compare (in checkpoints and the verifier's output); it reveals nothing. */
  readonly id: string;

  constructor(bytes: Uint8Array) {
    if (bytes.length < AUDIT_KEY_MIN_BYTES) {
      throw new Error(`An audit key must be ${AUDIT_KEY_HOW_TO}.`);
    }
    this.#bytes = Buffer.from(bytes);
    this.id = this.mac('greenleaf audit key id').slice(0, 16);
  }

  static generate(): AuditKey {
    return new AuditKey(randomBytes(AUDIT_KEY_MIN_BYTES));
  }

  /** HMAC-SHA256 of the text (UTF-8), as hex. */
  mac(message: string): string {
    return createHmac('sha256', this.#bytes).update(message, 'utf8').digest('hex');
  }

  /** The key as base64, only for writing the embedded database's key file. */
  exportBase64(): string {
    return this.#bytes.toString('base64');
  }

  toJSON(): string {
    return `[audit key ${this.id}]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

/** Hex (even length) or base64 (standard or URL-safe); undefined when it is neither or too short. */
export function parseAuditKey(text: string): AuditKey | undefined {
  const trimmed = text.trim();
  let bytes: Buffer;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'base64');
  else return undefined;
  return bytes.length >= AUDIT_KEY_MIN_BYTES ? new AuditKey(bytes) : undefined;
}

export const AUDIT_KEY_FILE_NAME = 'audit-key';

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

/**
 * The embedded database's key when AUDIT_KEY is not set, outside production: a file in the
 * data folder, made on first start, readable by its owner only. It sits beside the data it
 * protects, so it only stops someone who edits the database without reading the folder: a
 * convenience for trying Greenleaf, never a production arrangement.
 */
export function embeddedAuditKey(dataDir: string, options: { create: boolean }): AuditKey {
  const file = path.resolve(dataDir, AUDIT_KEY_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!options.create) {
      throw new AuditKeyError(
        `There is no audit key: AUDIT_KEY is not set and ${file} does not exist.\n` +
          'Set AUDIT_KEY to the key the service signs its audit log with.',
      );
    }
    try {
      return createKeyFile(file);
    } catch (creating) {
      // Another start made it meanwhile: use that one.
      if ((creating as NodeJS.ErrnoException).code !== 'EEXIST') throw creating;
      return embeddedAuditKey(dataDir, { create: false });
    }
  }
  // Windows has no such permission bits to check.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new AuditKeyError(
      `The audit key file ${file} can be read by other users of this machine. Run: chmod 600 ${file}`,
    );
  }
  const key = parseAuditKey(text);
  if (!key) {
    throw new AuditKeyError(`The audit key file ${file} does not hold a key (${AUDIT_KEY_HOW_TO}).`);
  }
  return key;
}

function createKeyFile(file: string): AuditKey {
  const key = AuditKey.generate();
  mkdirSync(path.dirname(file), { recursive: true });
  // 'wx': never overwrite a key another start made meanwhile; 0o600: the owner only.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${key.exportBase64()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return key;
}

/**
 * The key this deployment signs with: AUDIT_KEY, else (embedded database, outside production)
 * the data folder's key file, made on first start when `create` is set. PostgreSQL is shared
 * by every instance, which must all sign with one key, so there AUDIT_KEY is required.
 */
export function resolveAuditKey(
  config: Pick<Config, 'audit' | 'database' | 'environment'>,
  options: { create: boolean },
): AuditKey {
  if (config.audit.key) return config.audit.key;
  if (config.database.kind === 'embedded' && config.environment !== 'production') {
    return embeddedAuditKey(config.database.dataDir, options);
  }
  throw new AuditKeyError(
    'AUDIT_KEY: the audit log is signed with a key kept outside the database, and every instance ' +
      `on one PostgreSQL database needs the same one from your secret store: set it (${AUDIT_KEY_HOW_TO}).`,
  );
}
