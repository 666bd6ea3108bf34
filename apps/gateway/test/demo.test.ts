/** README command 1: the whole gateway, locally, with a scripted conversation through Prosody. */
import { expect, it } from "vitest";
import { main } from "../src/main.js";

it("the demo plays its conversation end to end, stays up, and stops cleanly", async () => {
  const lines: string[] = [];
  const stop = new AbortController();
  const io = {
    out: (line: string) => {
      lines.push(line);
      if (line.includes("Press Ctrl-C to stop.")) stop.abort();
    },
    err: (line: string) => lines.push(`ERR ${line}`),
  };
  expect(await main(["demo"], {}, { io, signal: stop.signal })).toBe(0);
  const transcript = lines.join("\n");
  expect(transcript).toMatch(/alice registers[\s\S]*← registered/);
  expect(transcript).toMatch(/→ alice: Received 0\.5 BTC/);
  expect(transcript).toMatch(/→ alice: Paid 0\.1 BTC to bob/);
  expect(transcript).toMatch(
    /→ alice: Sent 0\.05 BTC to bcrt1\w+ \(network fee [\d.]+ BTC\)\. Transaction: [0-9a-f]{64}/,
  );
  expect(transcript).toMatch(/→ bob: History[\s\S]*\+0\.1 BTC\s+from alice\s+“dinner”/);
  expect(transcript).toMatch(/alice: alice@example\.localhost {2}password \w+/);
  expect(transcript).toMatch(/Stopping…/);
}, 120_000);
