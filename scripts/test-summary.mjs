#!/usr/bin/env node
// Adds up the vitest JSON reports of every workspace package into one line.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
// Real-node tests name bitcoind in a describe title: counted apart, so that a
// run without the binary shows they did not run rather than pass.
const real = { passed: 0, failed: 0, skipped: 0 };
for (const parent of ["packages", "apps"]) {
  for (const name of readdirSync(parent)) {
    const file = join(parent, name, ".vitest", "report.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    for (const file of report.testResults) {
      for (const test of file.assertionResults) {
        if (!/\bbitcoind\b/.test(test.fullName)) continue;
        if (test.status === "passed") real.passed++;
        else if (test.status === "failed") real.failed++;
        else real.skipped++;
      }
    }
    console.log(
      `${join(parent, name)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
console.log(
  `Real-node tests (bitcoind -regtest): ${real.passed} passed, ${real.failed} failed, ${real.skipped} skipped`,
);
process.exitCode = failed > 0 ? 1 : 0;
