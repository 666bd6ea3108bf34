import { BitcoinNodeError } from "@bitcoim/wallet";

/**
 * A build holds the sends lock while it talks to the node, and a payer
 * waits for a quote: a node that stops answering must hold neither for its
 * whole RPC timeout on each call. Coins a late reply locks are given back
 * (`held.abandoned`) or swept.
 */
export function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  onGiveUp: () => void = () => {},
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onGiveUp();
      const message = `the node took over ${ms} ms to build a payment`;
      reject(new BitcoinNodeError("NODE_UNAVAILABLE", message, { reason: "timeout" }));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
