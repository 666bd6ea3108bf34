/**
 * Runs work one piece at a time, in call order. On-chain sends in one
 * process go through one: the next is built after the previous was
 * broadcast (its change then spendable), and at most one database
 * connection waits for the sends lock however many payers confirm at once.
 */
export type Serial = <T>(work: () => Promise<T>) => Promise<T>;

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
