/**
 * JWTs of the app's own identity provider, for logins through it.
 * @module
 */
export { createExternalTokenVerifier, type ExternalTokenOptions } from "./external_tokens.ts";
export { fetchKeys } from "./_key_set.ts";
