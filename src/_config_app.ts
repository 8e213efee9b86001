/**
 * The settings that tie the server to the app around it: the app's identity
 * provider, its backend's key, and the webhooks it receives. Each checks what
 * one variable cannot check alone, with a message naming the variable.
 * @module
 */
import { Buffer } from "node:buffer";
import { ConfigError } from "./_config_schema.ts";
import type { Config, ExternalAuthConfig } from "./_config_type.ts";

/** The identity provider's settings: an issuer, and a secret or a JWKS URL. */
export function externalAuthOf(
  v: { [K in `EXTERNAL_AUTH_${"ISSUER" | "AUDIENCE" | "SECRET" | "JWKS_URL"}`]?: string },
): ExternalAuthConfig | undefined {
  const { EXTERNAL_AUTH_ISSUER: issuer, EXTERNAL_AUTH_SECRET: secret } = v;
  const jwksUrl = v.EXTERNAL_AUTH_JWKS_URL;
  if (secret && jwksUrl) {
    throw new ConfigError(
      "Invalid EXTERNAL_AUTH_SECRET: set it or EXTERNAL_AUTH_JWKS_URL, not both",
    );
  }
  if (!issuer) {
    if (!secret && !jwksUrl && !v.EXTERNAL_AUTH_AUDIENCE) return undefined;
    throw new ConfigError("Invalid EXTERNAL_AUTH_ISSUER: required to log in through a provider");
  }
  if (!secret && !jwksUrl) {
    throw new ConfigError("Invalid EXTERNAL_AUTH_ISSUER: needs EXTERNAL_AUTH_SECRET or _JWKS_URL");
  }
  return { issuer, audience: v.EXTERNAL_AUTH_AUDIENCE, secret, jwksUrl };
}

/**
 * The app's backend acts for the accounts of its identity provider, with a key
 * of its own: the operators' token reads reports, this one reads chats.
 */
export function appBackendTokenOf(
  v: { [K in "APP_BACKEND_TOKEN" | "ADMIN_TOKEN" | "EXTERNAL_AUTH_ISSUER"]?: string },
): string | undefined {
  const token = v.APP_BACKEND_TOKEN;
  if (token && !v.EXTERNAL_AUTH_ISSUER) {
    throw new ConfigError("Invalid APP_BACKEND_TOKEN: needs a provider (EXTERNAL_AUTH_ISSUER)");
  }
  if (token && token === v.ADMIN_TOKEN) {
    throw new ConfigError("Invalid APP_BACKEND_TOKEN: must differ from ADMIN_TOKEN");
  }
  return token;
}

/**
 * The webhooks' secret and the app's events. Events carry every message's
 * content, so they are sent signed or not at all; pushes carry a preview of
 * it, so in production they are too (unsigned, a local receiver is easy to try).
 */
export function webhooksOf(
  v: {
    DENO_ENV: string;
    PUSH_WEBHOOK_URL?: string;
    WEBHOOK_SECRET?: string;
    EVENTS_WEBHOOK_URL?: string;
    EVENTS_MAX_ATTEMPTS: number;
    EVENTS_RETRY_BASE_MS: number;
    EVENTS_TIMEOUT_MS: number;
  },
): Pick<Config, "webhookSecret" | "eventsWebhook"> {
  const secret = v.WEBHOOK_SECRET;
  const bytes = secret ? Buffer.from(secret.slice("whsec_".length), "base64").length : 0;
  if (secret && (bytes < 24 || bytes > 64)) {
    throw new ConfigError("Invalid WEBHOOK_SECRET: its key must be 24 to 64 bytes");
  }
  if (v.EVENTS_WEBHOOK_URL && !secret) {
    throw new ConfigError("Invalid EVENTS_WEBHOOK_URL: needs WEBHOOK_SECRET to sign the events");
  }
  if (v.PUSH_WEBHOOK_URL && !secret && v.DENO_ENV === "production") {
    throw new ConfigError(
      "Invalid PUSH_WEBHOOK_URL: needs WEBHOOK_SECRET to sign the pushes when DENO_ENV=production",
    );
  }
  return {
    webhookSecret: secret,
    eventsWebhook: v.EVENTS_WEBHOOK_URL
      ? {
        url: v.EVENTS_WEBHOOK_URL,
        maxAttempts: v.EVENTS_MAX_ATTEMPTS,
        retryBaseMs: v.EVENTS_RETRY_BASE_MS,
        timeoutMs: v.EVENTS_TIMEOUT_MS,
      }
      : undefined,
  };
}
