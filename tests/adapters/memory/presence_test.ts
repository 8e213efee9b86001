/**
 * In-memory presence runs the presence contract.
 */
import { MemoryPresence } from "../../../src/adapters/memory/mod.ts";
import { presenceContract } from "../../contract/presence.ts";

presenceContract("memory", () => Promise.resolve(new MemoryPresence()));
