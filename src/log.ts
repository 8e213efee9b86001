/**
 * Structured logs: one JSON object per line on stdout, filtered by level.
 * @module
 */
import type { Logger } from "./core/ports.ts";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

/** Creates a logger that writes lines at `level` and above. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const at = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < LEVELS[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
