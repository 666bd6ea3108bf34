/**
 * Test helpers used by more than one package's tests (and the benches),
 * each in one copy. This package is private: published code, including the
 * packages' `testing` entry points, never depends on it.
 */
export { runReadmeExample } from "./readme.js";
