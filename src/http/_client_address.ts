/**
 * The address a request came from, for the limits counted per address (logins,
 * sign-ups). Behind a load balancer every request comes from the balancer, so
 * all users would share one count: with `trustedProxies` set, the client is
 * read from X-Forwarded-For, where each proxy appends the address it got the
 * request from. Only the entries the trusted proxies wrote are believed; those
 * to their left are the client's own to forge.
 * @module
 */
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Logger } from "../core/ports.ts";

/**
 * Reads a request's client address, through `trustedProxies`. With none
 * trusted, the first request that carries X-Forwarded-For is logged once at
 * warn: a proxy in front that nobody declared makes every client share its count.
 */
export function clientAddressOf(
  options: { trustedProxies: number; logger: Logger },
): (c: Context) => string | undefined {
  let told = options.trustedProxies > 0;
  return (c) => {
    if (!told && c.req.header("X-Forwarded-For") !== undefined) {
      told = true;
      options.logger.warn("X-Forwarded-For ignored; set TRUSTED_PROXIES if a proxy is in front", {
        reason: "per-address limits count the proxy's address for every client behind it",
      });
    }
    return clientAddress(c, options.trustedProxies);
  };
}

// The client's address: the peer's, or, through `trustedProxies` proxies, the one the
// outermost of them saw (the leftmost entry when the chain is shorter).
function clientAddress(c: Context, trustedProxies: number): string | undefined {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return undefined; // not served by the Node adapter: no peer to tell
  }
  const forwarded = (c.req.header("X-Forwarded-For") ?? "").split(",")
    .map((entry) => entry.trim()).filter((entry) => entry.length > 0);
  // From the nearest hop outwards: the peer (the last proxy), then what each proxy appended.
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(trustedProxies, chain.length - 1)];
}
