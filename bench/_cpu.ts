/**
 * CPU time per message, by process and by kind of thread, from /proc (Linux).
 *
 * Throughput alone does not say why ours is a share of the ceiling: the server and
 * the load generator share the machine's cores, so the figure that explains it is
 * the CPU each side spends per message, and on which thread: the main thread
 * (JavaScript, socket I/O), the blocking pool (the KV file's SQLite work) or V8's
 * workers (garbage collection, compilation).
 * @module
 */

/** CPU microseconds per message, by kind of thread, and their sum. */
export interface CpuPerMessage {
  main: number;
  blocking: number;
  v8Workers: number;
  other: number;
  total: number;
}

type Kind = keyof Omit<CpuPerMessage, "total">;
/** CPU milliseconds so far of each thread of a process, by thread id. */
type Reading = Map<string, { kind: Kind; ms: number }>;

// How the runtime names its threads: V8's platform workers, and tokio's blocking pool.
function kindOf(pid: number, tid: string, name: string): Kind {
  if (tid === String(pid)) return "main";
  if (name.startsWith("V8 ")) return "v8Workers";
  if (/^sw-\d+$|^tokio-runtime/.test(name)) return "blocking";
  return "other";
}

/** CPU milliseconds each thread of process `pid` used so far. */
export function readCpu(pid: number): Reading {
  const reading: Reading = new Map();
  const tickMs = 1000 / 100; // USER_HZ: 100 on Linux
  for (const { name: tid } of Deno.readDirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${pid}/task/${tid}/stat`);
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // Fields after the name, from field 3 (state); utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ms = (Number(fields[11]) + Number(fields[12])) * tickMs;
    reading.set(tid, { kind: kindOf(pid, tid, name), ms });
  }
  return reading;
}

/**
 * Microseconds per message between two readings, by kind of thread. Threads are
 * matched by id, since the blocking pool ends idle threads and starts new ones: a
 * thread that started in between counts from zero, and one that ended loses what it
 * did in between, so the figures are a floor.
 */
export function perMessage(before: Reading, after: Reading, messages: number): CpuPerMessage {
  const ms: Record<Kind, number> = { main: 0, blocking: 0, v8Workers: 0, other: 0 };
  for (const [tid, { kind, ms: now }] of after) ms[kind] += now - (before.get(tid)?.ms ?? 0);
  const us = (kind: Kind) => Math.round((ms[kind] * 1000) / messages);
  const [main, blocking, v8Workers, other] = (["main", "blocking", "v8Workers", "other"] as const)
    .map(us);
  return { main, blocking, v8Workers, other, total: main + blocking + v8Workers + other };
}

/** A measured run's CPU per message, of the server and of the load generator. */
export type WithCpu = { cpuUsPerMessage: { server: CpuPerMessage; generator: CpuPerMessage } };

/** Runs `task` and returns its result with the CPU per message of the server and of this process. */
export async function withCpu<T extends { messages: number }>(
  serverPid: number,
  task: () => Promise<T>,
): Promise<T & WithCpu> {
  const server = readCpu(serverPid);
  const generator = readCpu(Deno.pid);
  const result = await task();
  return {
    ...result,
    cpuUsPerMessage: {
      server: perMessage(server, readCpu(serverPid), result.messages),
      generator: perMessage(generator, readCpu(Deno.pid), result.messages),
    },
  };
}
