/**
 * Amounts the way Core's own code has them (consensus/amount.h, ValueFromAmount,
 * ParseFixedPoint), written here for the sandbox alone: it checks the client's
 * amount code, so it must not share it.
 */

/** Satoshis per coin, and the most money there can be (Core's COIN and MAX_MONEY). */
export const COIN = 100_000_000n;
export const MAX_MONEY = 21_000_000n * COIN;

/** ValueFromAmount: `%s%d.%08d` of sign, whole coins and the rest. */
export function valueFromAmount(amount: bigint): string {
  const magnitude = amount < 0n ? -amount : amount;
  const rest = (magnitude % COIN).toString();
  return `${amount < 0n ? "-" : ""}${magnitude / COIN}.${"0".repeat(8 - rest.length)}${rest}`;
}

/** A plain decimal ("-12.5", no exponent) in satoshis; undefined below a satoshi or malformed. */
export function fixedPoint8(plain: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(plain);
  if (!m) return undefined;
  const [, minus, coins = "0", decimals = ""] = m;
  let cut = decimals.length;
  while (cut > 0 && decimals[cut - 1] === "0") cut--;
  if (cut > 8) return undefined;
  const satoshis = BigInt(coins) * COIN + BigInt(`${decimals.slice(0, cut)}00000000`.slice(0, 8));
  return minus === "-" ? -satoshis : satoshis;
}
