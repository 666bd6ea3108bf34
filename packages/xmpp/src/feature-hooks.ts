/**
 * Runs the features' hooks (feature.ts) in order. At shutdown one
 * feature's failure is logged and the others still run: a goodbye that
 * could not be sent must not keep the stream open.
 */
import type { FeatureHooks } from "./feature.js";
import type { Logger } from "./log.js";

export function featureHooks(hooks: readonly FeatureHooks[], log: Logger) {
  const each = async (step: "draining" | "stopping" | "stopped") => {
    for (const hook of hooks) {
      try {
        await hook[step]?.();
      } catch (error) {
        log.warn({ err: error, step }, "a gateway feature failed to shut down");
      }
    }
  };
  return {
    /** Starts each feature; the first failure is thrown (the gateway then closes). */
    started() {
      for (const hook of hooks) hook.started?.();
    },
    draining: () => each("draining"),
    /** Last words, then letting go; or, after a failed start, letting go only. */
    async stop({ lastWords }: { lastWords: boolean }) {
      if (lastWords) await each("stopping");
      await each("stopped");
    },
  };
}
