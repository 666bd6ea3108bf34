/**
 * Losing the XMPP server: the component reconnects, with growing delays,
 * when the same Prosody comes back on the same ports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayComponent,
  type GatewayComponent,
  NotConnectedError,
} from "../src/component.js";
import { ping } from "../src/ping.js";
import { backoff } from "../src/reconnect.js";
import { xml as gxml } from "../src/xml.js";
import { connectUser, xml } from "./client.js";
import { memoryLogger } from "./helpers.js";
import { createProsody, type Prosody } from "./prosody.js";

describe("backoff", () => {
  it("doubles from the initial delay up to the maximum", () => {
    const delay = backoff({ initial: 100, max: 1000, steady: 1, jitter: 0.5, random: () => 0 });
    expect([0, 1, 2, 3, 4, 5, 1000].map(delay)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("tries at the initial delay `steady` times before it grows", () => {
    const delay = backoff({ initial: 100, max: 1000, steady: 3, jitter: 0, random: () => 0 });
    expect([0, 1, 2, 3, 4, 5, 6].map(delay)).toEqual([100, 100, 100, 200, 400, 800, 1000]);
    // By default: ten attempts within the first ten seconds of an outage.
    const defaults = backoff({ jitter: 0 });
    expect([0, 9, 10, 11].map(defaults)).toEqual([1000, 1000, 2000, 4000]);
  });

  it("takes up to the jitter fraction off at random", () => {
    const delay = backoff({
      initial: 100,
      max: 1000,
      steady: 1,
      jitter: 0.5,
      random: () => 0.999999,
    });
    expect(delay(0)).toBe(50);
    expect(delay(10)).toBe(500);
    const defaults = backoff();
    expect(defaults(0)).toBeGreaterThanOrEqual(500);
    expect(defaults(0)).toBeLessThanOrEqual(1000);
  });
});

describe("starting", () => {
  it("rejects when the server is unreachable, and does not retry", async () => {
    const log = memoryLogger();
    const gateway = createGatewayComponent({
      service: "xmpp://127.0.0.1:1",
      domain: "bitcoin.example.localhost",
      password: "secret",
      network: "regtest",
      log,
      reconnectDelay: () => 0,
    });
    await expect(gateway.start()).rejects.toThrow(/ECONNREFUSED/);
    await expect(gateway.send(gxml("message", { to: "a@b.c" }))).rejects.toThrow(NotConnectedError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.entries.filter((e) => e.message.includes("lost"))).toEqual([]);
    await gateway.stop();
  });
});

describe("reconnecting", () => {
  let prosody: Prosody;
  let gateway: GatewayComponent;
  const log = memoryLogger();

  beforeAll(async () => {
    prosody = await createProsody();
    await prosody.register("bob", "example.localhost", "bob-pw");
    await prosody.start();
    gateway = createGatewayComponent({
      service: prosody.componentService,
      domain: prosody.componentDomain,
      password: prosody.componentSecret,
      network: "regtest",
      log,
      reconnectDelay: backoff({ initial: 20, max: 200, steady: 2, jitter: 0 }),
    });
    ping({ iq: gateway.iq });
    await gateway.start();
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    await prosody?.close();
  });

  async function pingGateway(): Promise<string | undefined> {
    const bob = await connectUser({
      service: prosody.c2sService,
      domain: "example.localhost",
      username: "bob",
      password: "bob-pw",
    });
    try {
      const to = prosody.componentDomain;
      const reply = await bob.iq(
        xml("iq", { type: "get", to }, xml("ping", { xmlns: "urn:xmpp:ping" })),
      );
      return reply.attrs.type;
    } finally {
      await bob.stop();
    }
  }

  it("comes back when the server restarts, backing off while it is down", async () => {
    expect(await pingGateway()).toBe("result");
    const statuses: string[] = [];
    const unsubscribe = gateway.onStatus((status) => statuses.push(status));
    const online = new Promise<void>((resolve) =>
      gateway.onStatus((status) => status === "online" && resolve()),
    );

    await prosody.stop();
    // Failed attempts 20, 20, 40 and 80 ms apart (two steady ones), before the server returns.
    const third = await log.waitFor((e) => e.message.includes("lost") && e.fields.attempt === 4);
    expect(third.fields.delayMs).toBe(80);
    const delays = log.entries
      .filter((e) => e.message.includes("lost"))
      .map((e) => e.fields.delayMs);
    expect(delays).toEqual([20, 20, 40, 80]);

    await prosody.start();
    await online;
    unsubscribe();
    expect(statuses).toEqual(["offline", "online"]);
    expect(await pingGateway()).toBe("result");
    await log.waitFor((e) => e.message.includes("re-established"));
  });
});
