/**
 * The benchmark's table on stdout.
 * @module
 */
import type { RelayResult } from "./scenarios.ts";
import type { CpuPerMessage, WithCpu } from "./_cpu.ts";

// deno-lint-ignore no-explicit-any
type Results = any;

const pct = (r: RelayResult) => `p50 ${r.endToEndMs.p50} / p99 ${r.endToEndMs.p99} ms`;
const ack = (r: RelayResult) => `p50 ${r.sendAckMs.p50} / p99 ${r.sendAckMs.p99} ms`;
const cpu = (c: CpuPerMessage) =>
  `${c.total} µs (main ${c.main}, blocking pool ${c.blocking}, V8 workers ${c.v8Workers}, other ${c.other})`;
const cpuRows = (ours: WithCpu, bare: WithCpu): [string, string, string][] =>
  (["server", "generator"] as const).map((side) => [
    `  CPU per message, ${side}`,
    cpu(ours.cpuUsPerMessage[side]),
    cpu(bare.cpuUsPerMessage[side]),
  ]);

/** Prints the results as one table per run, with ours as a share of the ceiling. */
export function printTable(results: Results): void {
  const { machine, ceiling, runs } = results;
  console.log(`\n${machine.cpu}, ${machine.cores} cores, Deno ${machine.deno}`);
  const rows: [string, string, string][] = [
    ["10k idle sockets: RSS", "", `${ceiling.idle10k.rssMb} MB`],
  ];
  for (const run of runs) {
    const { closed, atLoad, ceiling: bare, sharePercent, shares } = run.online;
    rows.push([`— ${run.mode} —`, "", ""]);
    rows.push([
      "online relay: delivered msg/s",
      `${closed.msgPerSec} (${sharePercent}% of the relay; rounds ${shares.join(" / ")}%)`,
      String(bare.msgPerSec),
    ]);
    rows.push(["  last delivered tick after last receipt", `${closed.lastTickAfterMs} ms`, ""]);
    rows.push(["  end-to-end at that load", pct(closed), pct(bare)]);
    rows.push(["  send ack at that load", ack(closed), ack(bare)]);
    rows.push(...cpuRows(closed, bare));
    rows.push([`  end-to-end paced at ${atLoad.rate} msg/s`, pct(atLoad), ""]);
    rows.push([`  send ack paced at ${atLoad.rate} msg/s`, ack(atLoad), ""]);
    const { light, lightCeiling } = run.online;
    rows.push([`  end-to-end paced at ${light.rate} msg/s`, pct(light), pct(lightCeiling)]);
    rows.push([`  send ack paced at ${light.rate} msg/s`, ack(light), ack(lightCeiling)]);
    for (const d of run.drains) {
      rows.push([
        `backlog of ${d.messages}: connect to last ack`,
        `${d.drainMs} ms${d.inOrder ? ", in order" : ", OUT OF ORDER"}`,
        "",
      ]);
    }
    rows.push(["1k idle sockets: RSS", `${run.idle1k.rssMb} MB`, ""]);
    rows.push(["10k idle sockets: RSS", `${run.idle10k.rssMb} MB`, ""]);
    const q = run.queued;
    rows.push([
      `RSS growth per ${q.messages} queued`,
      `${q.rssGrowthMb} MB, then ${q.rssGrowthNextMb} MB each (${
        q.rssGrowthBatchesMb.join(" / ")
      }; V8 heap ${q.heapGrowthMb}, then ${q.heapGrowthNextMb}; stored at ${q.fillMsgPerSec} msg/s)`,
      "",
    ]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 10));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(line(["scenario", "our server", "bare relay"]));
  for (const row of rows) console.log(line(row));
  for (const run of runs) {
    if (!run.profile) continue;
    console.log(
      `\nwhere the server's CPU went during the online relay (${run.mode}; busy ${run.profile.busyPercent}% of the time):`,
    );
    for (const [area, p] of Object.entries(run.profile.byArea)) console.log(`  ${p}%  ${area}`);
  }
}
