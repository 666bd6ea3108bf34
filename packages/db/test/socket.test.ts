/**
 * libpq's ways of naming a Unix-domain socket in the URL, and its `user` /
 * `password` / `port` parameters, against a real PostgreSQL server: postgres.js
 * alone would send them to the server as settings, and fail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseError, openDatabase, redact } from "../src/index.js";
import { postgresTarget } from "../src/target.js";
import { startTestPostgres, type TestPostgres } from "../src/testing.js";

let server: TestPostgres;
let password: string;
let port: string;
beforeAll(async () => {
  server = await startTestPostgres();
  ({ password, port } = new URL(server.url));
}, 60_000);
afterAll(() => server?.stop());

/** Opens `url`, asks the server how this connection came in, closes. */
async function connectedVia(url: string): Promise<string | null> {
  const database = await openDatabase(url);
  try {
    const rows = (await database.db.execute(
      "select inet_server_addr()::text as addr",
    )) as unknown as { addr: string | null }[];
    return rows[0]!.addr;
  } finally {
    await database.close();
  }
}

describe("Unix-domain sockets and libpq's URL parameters", () => {
  it("a socket directory in `host=`, with `port=`, `user=` and `password=` in the query", async () => {
    const dir = encodeURIComponent(server.socketDir);
    const url = `postgresql:///postgres?host=${dir}&port=${port}&user=postgres&password=${password}`;
    // No server address: the connection came through the socket, not TCP.
    expect(await connectedVia(url)).toBeNull();
  });

  it("a socket directory as the URL's percent-encoded host", async () => {
    const host = encodeURIComponent(server.socketDir);
    expect(
      await connectedVia(`postgres://postgres:${password}@${host}:${port}/postgres`),
    ).toBeNull();
  });

  it("a host name in `host=` is a host name, over TCP", async () => {
    const url = `postgres://postgres:${password}@ignored.invalid:${port}/postgres?host=127.0.0.1`;
    expect(await connectedVia(url)).toBe("127.0.0.1/32");
  });

  it("a setting the server does not know, named in the query, is said to be the URL's", async () => {
    const error = await openDatabase(`${server.url}?no_such_setting=1`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: "DB_URL_INVALID" });
    expect((error as Error).message).toMatch(/refused a setting named in the URL's query/);
    expect((error as Error).message).not.toContain(password);
  });

  it("an IPv6 address in `host=` is an address, not a host and a port", async () => {
    const url = `postgres://postgres:${password}@localhost/postgres?host=::1&port=${port}`;
    const opened = await openDatabase(url).then(
      async (d) => {
        await d.close();
        return "opened";
      },
      (e: unknown) => e as DatabaseError,
    );
    // This server listens on 127.0.0.1 only: refused at ::1, which is what was asked.
    expect(opened).toMatchObject({ code: "DB_UNREACHABLE" });
    expect(postgresTarget(url).options).toEqual({ host: ["::1"], port: [Number(port)] });
    expect(postgresTarget("postgres://x@y/db?host=a,b&port=5432,5433").options).toEqual({
      host: ["a", "b"],
      port: [5432, 5433],
    });
  });

  it("a password in the query is hidden in the location, and a bad escape is the URL's fault", async () => {
    const url = `postgresql:///postgres?host=${encodeURIComponent(server.socketDir)}&port=${port}&user=postgres&password=${password}`;
    const database = await openDatabase(url);
    try {
      expect(database.location).not.toContain(password);
      expect(database.location).toContain("password=***");
    } finally {
      await database.close();
    }
    expect(() => postgresTarget("postgres://u@%zz/db")).toThrow(
      expect.objectContaining({ code: "DB_URL_INVALID" }),
    );
  });

  it("an IPv6 literal in the URL, and lists that do not match, as libpq reads them", () => {
    expect(postgresTarget("postgres://u:p@[::1]:5433/db").options).toEqual({
      host: ["::1"],
      port: [5433],
    });
    for (const url of [
      "postgresql:///db?host=/a,/b",
      "postgresql:///db?host=/a&port=5432,5433",
      "postgres://x@y/db?host=a,b,c&port=5432,5433",
    ]) {
      expect(() => postgresTarget(url)).toThrow(
        expect.objectContaining({ code: "DB_URL_INVALID" }),
      );
    }
  });

  it("passwords are hidden wherever they are in the URL", () => {
    expect(redact("postgres://u:pa/ss@h/db")).toBe("postgres://u:***@h/db");
    expect(redact("postgres://u:p@s@h:5432/db?x=1")).toBe("postgres://u:***@h:5432/db?x=1");
    expect(redact("postgres://h:5432/db?sslpassword=k&password=p")).toBe(
      "postgres://h:5432/db?sslpassword=***&password=***",
    );
    expect(redact("postgres://u@h:5432/db")).toBe("postgres://u@h:5432/db");
  });

  it("a connection of one's own asks the server to notice a vanished client within minutes", async () => {
    const database = await openDatabase(server.url);
    const own = await database.connect();
    try {
      const [row] = await own.query<{ setting: string }>(
        "select setting from pg_settings where name = 'tcp_keepalives_idle'",
      );
      expect(row!.setting).toBe("60");
    } finally {
      await database.close();
    }
  });

  it("a port out of range in `port=` is refused before connecting", () => {
    expect(() => postgresTarget("postgresql:///db?host=/run/postgresql&port=99999")).toThrow(
      /port "99999" is out of range/,
    );
    expect(postgresTarget("postgresql:///db?host=/run/postgresql/&sslmode=disable")).toEqual({
      url: "postgresql://localhost/db?sslmode=disable",
      options: { path: "/run/postgresql/.s.PGSQL.5432" },
    });
  });
});
