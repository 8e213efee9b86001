/**
 * A local webhook receiver for push notifications and the app's events: it
 * answers 500 to its next `failing` requests (and while `down` is set), and
 * keeps every request it accepted with its headers, to check their signature.
 * On node:http, like the server: Hono's node adapter swaps the global Response,
 * which Deno.serve refuses.
 */
import { createServer } from "node:http";
import { text } from "node:stream/consumers";

/** One request the receiver got. */
export interface Hit {
  headers: Record<string, string>;
  body: string;
}

/** A running receiver; `jobs` are the accepted bodies, parsed. */
export interface WebhookReceiver<T> {
  url: string;
  jobs: T[];
  /** Every request, accepted or failed, in the order they came. */
  hits: Hit[];
  calls(): number;
  /** While true, every request is answered 500. */
  down: boolean;
  /** How many of the next requests are answered 500 (counts down). */
  failing: number;
  close(): Promise<void>;
}

/** Starts a receiver on a free port, failing its first `failures` requests. */
export async function webhookReceiver<T>(failures = 0): Promise<WebhookReceiver<T>> {
  const server = createServer(async (req, res) => {
    const body = await text(req);
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    hook.hits.push({ headers: req.headers as Record<string, string>, body });
    if (hook.down || hook.failing > 0) {
      if (!hook.down) hook.failing--;
      res.writeHead(500).end("down");
      return;
    }
    hook.jobs.push(JSON.parse(body));
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const hook: WebhookReceiver<T> = {
    url: `http://127.0.0.1:${port}/hook`,
    jobs: [],
    hits: [],
    calls: () => hook.hits.length,
    down: false,
    failing: failures,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The senders' kept-alive connections would hold the close for minutes.
        server.closeAllConnections();
      }),
  };
  return hook;
}
