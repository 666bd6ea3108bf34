#!/usr/bin/env node
import { main } from "./main.js";

const code = await main(process.argv.slice(2), process.env);
process.exitCode = code;
// A stuck job's query or call still holds the event loop open: the process
// ends anyway, its log written, once a few seconds have passed.
setTimeout(() => process.exit(code), 5_000).unref();
