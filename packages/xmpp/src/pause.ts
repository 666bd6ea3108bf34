/** Waiting between batches of work that shutdown must be able to end at once. */

/** A pause that shutdown may cut short. */
export function interruptiblePause() {
  let cut: (() => void) | undefined;
  return {
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          cut = undefined;
          resolve();
        }
        cut = done;
      }),
    interrupt: () => cut?.(),
  };
}
