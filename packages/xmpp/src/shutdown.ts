/**
 * Graceful shutdown of stanza handling (docs/behaviour.md §9): once draining,
 * new commands and IQs are turned away with `service-unavailable` (RFC 6120
 * §8.3.3.19: try again later), while the ones already running finish and
 * send their replies — a `confirm` that paid must still say so — before
 * the stream closes.
 */

export interface Shutdown {
  /** True once `drain` was called: new work is refused. */
  readonly draining: boolean;
  /** Counts `work` as running until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Refuses new work, then waits for the running work, at most `timeoutMs`; true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createShutdown(): Shutdown {
  let draining = false;
  const running = new Set<Promise<unknown>>();
  return {
    get draining() {
      return draining;
    },
    track(work) {
      running.add(work);
      const done = () => running.delete(work);
      work.then(done, done);
      return work;
    },
    async drain(timeoutMs) {
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      // Work may start work (a reply's follow-ups): wait until none is left.
      const settled = (async () => {
        while (running.size > 0) await Promise.allSettled([...running]);
        return true as const;
      })();
      try {
        return await Promise.race([settled, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
