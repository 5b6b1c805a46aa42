/**
 * What cleaning a voice note's container gives: the file written again without its metadata,
 * or why it cannot be (for tests and logs; the person is told in plain words by the caller).
 */
export type Cleaned = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export const refuse = (reason: string): Cleaned => ({ ok: false, reason });

/** A file whose structure is broken: cut short, sizes that do not fit, offsets nowhere. */
export class Malformed extends Error {}

/** A well-formed file we will not keep: video, sound kept elsewhere, a format we cannot check. */
export class Refused extends Error {}

/** Runs a cleaner; a broken or refused file (or a read past its end) becomes a refusal, never a throw. */
export function cleanly(clean: () => Buffer): Cleaned {
  try {
    return { ok: true, bytes: clean() };
  } catch (error) {
    if (error instanceof Malformed || error instanceof Refused || error instanceof RangeError)
      return refuse(error.message);
    throw error;
  }
}
