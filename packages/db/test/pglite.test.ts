import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDatabaseContract } from "./contract.js";

describeDatabaseContract("PGlite", {
  url: async () => `pglite:${join(await mkdtemp(join(tmpdir(), "bitcoim-db-")), "data")}`,
});
