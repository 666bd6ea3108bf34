import type { TestProject } from "vitest/node";
import { providePostgres } from "../src/testing.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default (project: TestProject) => providePostgres(project);
