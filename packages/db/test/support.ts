import { inject } from "vitest";
import { createDatabaseOn } from "../src/testing.js";

/** A fresh, empty database on the test server. */
export const freshPostgresUrl = () => createDatabaseOn(inject("postgresUrl"));
