/** The sandbox's own amounts, against values Core writes and refuses. */
import { describe, expect, it } from "vitest";
import { fixedPoint8, MAX_MONEY, valueFromAmount } from "../../src/sandbox/money.js";

describe("the sandbox's amounts", () => {
  it("writes amounts as ValueFromAmount does", () => {
    expect(valueFromAmount(0n)).toBe("0.00000000");
    expect(valueFromAmount(1n)).toBe("0.00000001");
    expect(valueFromAmount(-150_000_000n)).toBe("-1.50000000");
    expect(valueFromAmount(MAX_MONEY)).toBe("21000000.00000000");
  });

  it("reads plain decimals to the satoshi, trailing zeros allowed, nothing finer", () => {
    expect(fixedPoint8("0.5")).toBe(50_000_000n);
    expect(fixedPoint8("1.100000000000")).toBe(110_000_000n);
    expect(fixedPoint8("-0.00000001")).toBe(-1n);
    expect(fixedPoint8("21000000")).toBe(MAX_MONEY);
    for (const bad of ["0.000000001", "1e-8", ".5", "5.", "", "--1", "0x10", "1 "]) {
      expect(fixedPoint8(bad)).toBeUndefined();
    }
  });
});
