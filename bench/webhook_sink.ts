/**
 * The receiver of the app's events for `EVENTS=1` runs of the benchmark, in a
 * process of its own so that it takes no CPU from the load generator: it reads
 * each POST and answers 204, as a backend that keeps its events quickly would;
 * a GET answers how many POSTs it got. Prints the line `spawnServer` waits for.
 * @module
 */
let received = 0;
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(JSON.stringify({ msg: "listening", port })),
}, async (req) => {
  if (req.method !== "POST") return Response.json({ received });
  await req.arrayBuffer();
  received++;
  return new Response(null, { status: 204 });
});
