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

/**
 * The client's address: the peer's, or, through `trustedProxies` proxies, the
 * one the outermost of them saw (the leftmost entry when the chain is shorter).
 */
export function clientAddress(c: Context, trustedProxies: number): string | undefined {
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
