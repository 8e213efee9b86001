/**
 * One POST of JSON to a webhook, signed as the Standard Webhooks specification
 * says (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` = "v1," + base64 HMAC-SHA256 of "id.timestamp.body" under
 * the secret's bytes. A receiver checks it with any of that spec's libraries,
 * refuses old timestamps against replays, and drops a repeated id: the id is
 * the same on every attempt, the timestamp and signature are new each time.
 * @module
 */
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";

/** What a POST needs besides the body. */
export interface SignedPostOptions {
  url: string;
  /** Abort a request that takes longer. */
  timeoutMs: number;
  /** `whsec_` and the key in base64; the request goes unsigned without it. */
  secret?: string;
  /** What is delivered, for the error message ("push notification"). */
  what: string;
}

// The three headers of the specification for one attempt.
function signatureHeaders(
  secret: string,
  message: { id: string; body: string; timestamp: number },
): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${message.id}.${message.timestamp}.${message.body}`;
  const signature = createHmac("sha256", key).update(signed).digest("base64");
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(message.timestamp),
    "webhook-signature": `v1,${signature}`,
  };
}

/** POSTs `payload` as JSON with the id `id`; throws unless the answer is 2xx. */
export async function signedPost(
  id: string,
  payload: unknown,
  options: SignedPostOptions,
): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(options.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(options.secret && signatureHeaders(options.secret, { id, body, timestamp })),
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`Cannot deliver ${options.what}: webhook answered ${res.status}`);
}
