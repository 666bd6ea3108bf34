import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

/** A fresh, empty database on the test server. */
export async function freshPostgresUrl(): Promise<string> {
  const server = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}
