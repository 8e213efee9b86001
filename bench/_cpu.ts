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

type Reading = Map<keyof Omit<CpuPerMessage, "total">, number>;

// How the runtime names its threads: V8's platform workers, and tokio's blocking pool.
function kindOf(pid: number, tid: string, name: string): keyof Omit<CpuPerMessage, "total"> {
  if (tid === String(pid)) return "main";
  if (name.startsWith("V8 ")) return "v8Workers";
  if (/^sw-\d+$|^tokio-runtime/.test(name)) return "blocking";
  return "other";
}

/** CPU milliseconds each kind of thread of process `pid` used so far. */
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
    const kind = kindOf(pid, tid, name);
    reading.set(kind, (reading.get(kind) ?? 0) + ms);
  }
  return reading;
}

/**
 * Microseconds per message between two readings. Threads that ended in between
 * lose their time, so the figures are a floor; the pools live for the process.
 */
export function perMessage(before: Reading, after: Reading, messages: number): CpuPerMessage {
  const us = (kind: keyof Omit<CpuPerMessage, "total">) =>
    Math.round((((after.get(kind) ?? 0) - (before.get(kind) ?? 0)) * 1000) / messages);
  const result = { main: us("main"), blocking: us("blocking"), v8Workers: us("v8Workers") };
  const other = us("other");
  return { ...result, other, total: result.main + result.blocking + result.v8Workers + other };
}

/** Runs `task` and returns its result with the CPU per message of the server and of this process. */
export async function withCpu<T extends { messages: number }>(
  serverPid: number,
  task: () => Promise<T>,
): Promise<T & { cpuUsPerMessage: { server: CpuPerMessage; generator: CpuPerMessage } }> {
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
