import { runReadmeExample } from "@bitcoim/test-utils";
import { expect, it } from "vitest";

it("the README's usage example runs and prints what it says", async () => {
  const stdout = await runReadmeExample(new URL("..", import.meta.url));
  expect(stdout).toMatch(/^confirm with code [a-z2-9]{4}$/m);
  expect(stdout).toMatch(/^second confirm: ALREADY_PAID$/m);
  const quoted = /^on-chain, (\d+) sat in fees \(exact: true\)$/m.exec(stdout)?.[1];
  expect(quoted).toBeDefined();
  // The fee paid is the one shown before confirm.
  expect(stdout).toMatch(new RegExp(`^sent in [0-9a-f]{64}, fee ${quoted} sat$`, "m"));
  expect(stdout).toMatch(/^alice has 0\.5999\d+ BTC$/m);
});
