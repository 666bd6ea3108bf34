/**
 * Commands per user per minute (docs/behaviour.md §9: 30 by default, then a
 * polite refusal). Kept in memory, per process: it is the one thing here
 * that may be, since losing it on a restart only forgives a burst, and
 * several gateway processes each allowing the limit only multiplies it by
 * their number. Nothing else about a user is held in memory.
 */
export interface RateLimitOptions {
  /** Commands allowed per window (default 30). */
  readonly limit?: number;
  /** The window, in ms (default one minute). */
  readonly windowMs?: number;
  readonly now?: () => number;
}

export interface RateLimit {
  readonly limit: number;
  /** Counts one command of `key`; false when it is over the limit (and is not counted). */
  take(key: string): boolean;
}

export function createRateLimit(options: RateLimitOptions = {}): RateLimit {
  const limit = options.limit ?? 30;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  /** Per key, the times of the commands within the window, oldest first. */
  const recent = new Map<string, number[]>();

  function forget(at: number): void {
    // Drops idle keys so that the map cannot grow with every sender ever seen.
    for (const [key, times] of recent) {
      if ((times.at(-1) ?? 0) <= at - windowMs) recent.delete(key);
    }
  }

  let lastSweep = now();
  return {
    limit,
    take(key) {
      const at = now();
      if (at - lastSweep > windowMs) {
        forget(at);
        lastSweep = at;
      }
      const times = (recent.get(key) ?? []).filter((t) => t > at - windowMs);
      if (times.length >= limit) {
        recent.set(key, times);
        return false;
      }
      times.push(at);
      recent.set(key, times);
      return true;
    },
  };
}
