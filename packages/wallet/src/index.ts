export * from "./amount.js";
