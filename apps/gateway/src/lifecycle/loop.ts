/**
 * A periodic job: run, wait, run again — never two runs of one loop at a
 * time, and across processes only where `exclusive` lets it. A failing run
 * is logged (once per outage, not once per tick) and retried next time:
 * losing the Bitcoin node or the database must not stop the gateway.
 */
import type { Logger } from "../log.js";
import type { Exclusive, Job } from "./exclusive.js";

export interface LoopOptions<T> {
  job: Job;
  intervalMs: number;
  exclusive: Exclusive;
  log: Logger;
  tick: () => Promise<T>;
  /** Called after each run that this process made, with its result. */
  onResult?: (value: T) => void;
  /** Called when a run fails or recovers (to tell users the Bitcoin side is down, say). */
  onHealth?: (healthy: boolean, error?: unknown) => void;
  /**
   * A run still going after this long is stuck: `onStuck` hears of it,
   * once per run. Nothing here can end a run (a database query that lost
   * its connection can wait forever); the caller decides, and the gateway
   * exits so that its service manager starts it afresh (safe at any moment:
   * every step it takes is committed whole or not at all).
   */
  stuckAfterMs?: number;
  onStuck?: (ms: number) => void;
}

export interface Loop {
  /** Runs one tick now (under the lock), outside the schedule. */
  runOnce(): Promise<void>;
  /** Stops scheduling and waits for a running tick to finish. */
  stop(): Promise<void>;
}

export function startLoop<T>(options: LoopOptions<T>): Loop {
  const { job, intervalMs, exclusive, log, tick } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Every run goes through this chain, so runs of one loop never overlap.
  let chain: Promise<void> = Promise.resolve();
  const serial = () => {
    chain = chain.then(once);
    return chain;
  };
  let healthy = true;

  async function once(): Promise<void> {
    const { stuckAfterMs, onStuck } = options;
    const watchdog =
      stuckAfterMs !== undefined && onStuck
        ? setTimeout(() => onStuck(stuckAfterMs), stuckAfterMs)
        : undefined;
    try {
      const outcome = await exclusive(job, tick);
      if (outcome.ran) options.onResult?.(outcome.value);
      if (!healthy) {
        healthy = true;
        log.info({ job }, "job recovered");
        options.onHealth?.(true);
      }
    } catch (error) {
      if (healthy) {
        healthy = false;
        log.error({ job, err: describe(error) }, "job failed; retrying every interval");
        options.onHealth?.(false, error);
      } else {
        log.debug({ job, err: describe(error) }, "job still failing");
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void serial().then(schedule), intervalMs);
  }

  void serial().then(schedule);
  return {
    runOnce: serial,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await chain;
    },
  };
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(code ? { code } : {}) };
  }
  return { message: String(error) };
}
