import { describeDatabaseContract } from "./contract.js";
import { freshPostgresUrl } from "./support.js";

describeDatabaseContract("a real PostgreSQL server", { url: freshPostgresUrl });
