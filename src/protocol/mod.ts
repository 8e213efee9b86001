/**
 * Protocol v1: event names, payload schemas, objects and error codes, the one
 * definition shared by the server, the tests and the client SDK.
 * @module
 */
export * from "./events.ts";
export * from "./errors.ts";
export * from "./objects.ts";
export * from "./users.ts";
export * from "./payloads.ts";
export * from "./reports.ts";
export * from "./account_schemas.ts";
export * from "./schemas.ts";
export * from "./invites.ts";
export * from "./files.ts";
export * from "./media.ts";
export { pictureUrl } from "./_fields.ts";
export * from "./app_events.ts";
