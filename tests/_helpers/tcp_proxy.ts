/**
 * A TCP proxy in front of a server that a test can cut and restore: a network
 * drop as a client sees it, with the connection gone and new ones refused,
 * while the page or process on the other side keeps running.
 * @module
 */

/** A running proxy. */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** Closes every open connection and refuses new ones until `restore()`. */
  cut(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  /** Stops the proxy. */
  close(): void;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already, by the other side or by the pipe ending.
  }
}

/** Starts a proxy on a free port that forwards to `127.0.0.1:<targetPort>`. */
export function startTcpProxy(targetPort: number): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  let down = false;

  async function forward(client: Deno.Conn): Promise<void> {
    if (down) return closeQuietly(client);
    const server = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
    open.add(client).add(server);
    // Either side ending (or being cut) ends both.
    const end = () => {
      for (const conn of [client, server]) open.delete(conn), closeQuietly(conn);
    };
    client.readable.pipeTo(server.writable, { preventClose: true }).catch(() => {}).finally(end);
    server.readable.pipeTo(client.writable, { preventClose: true }).catch(() => {}).finally(end);
  }

  (async () => {
    try {
      for await (const conn of listener) forward(conn).catch(() => closeQuietly(conn));
    } catch {
      // The listener was closed.
    }
  })();

  const cutAll = () => {
    for (const conn of open) closeQuietly(conn);
    open.clear();
  };
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    cut() {
      down = true;
      cutAll();
    },
    restore() {
      down = false;
    },
    close() {
      listener.close();
      cutAll();
    },
  };
}
