export interface Clock {
  now(): Date;
  /** Waits `ms` on this clock (a deliberate delay before answering, such as sign-in slowing). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock tests move by hand, so time-based rules are checked without waiting. */
export class ManualClock implements Clock {
  #now: Date;
  constructor(start: Date | string) {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  /** Moves the clock on by `ms` instead of waiting, so a test sees how long the wait was. */
  sleep(ms: number): Promise<void> {
    this.advance(ms);
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
  set(to: Date | string): void {
    this.#now = new Date(to);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
