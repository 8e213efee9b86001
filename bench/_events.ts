/**
 * The app's events in `EVENTS=1` runs: a receiver in a process of its own
 * (webhook_sink.ts), and a wait until it got what the server queued.
 * @module
 */
import { type ChildServer, spawnServer } from "../tests/_helpers/server.ts";

/** Starts the receiver; `env` turns the server's events webhook on, to it. */
export async function startSink(): Promise<{ env: Record<string, string>; sink: ChildServer }> {
  const sink = await spawnServer({}, {
    main: new URL("./webhook_sink.ts", import.meta.url).pathname,
  });
  const env = {
    EVENTS_WEBHOOK_URL: sink.url,
    WEBHOOK_SECRET: `whsec_${btoa(crypto.randomUUID())}`,
  };
  return { env, sink };
}

/**
 * Resolves once the receiver `sink` got every event the server queued: when its
 * count stood still for 300 ms (the server sends without pause while any wait).
 * A round's events are part of its cost, and the next measurement must not
 * share the machine with them. Asks the receiver, not the server's `/metrics`,
 * whose scrape reads the backlog and would count in the server's CPU.
 */
export async function eventsSent(sink: ChildServer): Promise<void> {
  let last = -1;
  let stillSince = performance.now();
  while (performance.now() - stillSince < 300) {
    const { received } = await (await fetch(sink.url)).json();
    if (received !== last) [last, stillSince] = [received, performance.now()];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
