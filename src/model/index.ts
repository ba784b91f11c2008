/**
 * The domain types, shared by every stage and defined apart from the queues
 * that carry them (queues/payloads.ts wraps them into job payloads). This
 * folder imports nothing of the project's.
 */
export * from "./story.js";
export * from "./classification.js";
export * from "./dedupe.js";
export * from "./alert.js";
