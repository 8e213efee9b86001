/**
 * Prometheus metrics with prom-client, served at `GET /metrics`.
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Metrics } from "./core/ports.ts";

/** The registry and the instruments of one server. */
export class PrometheusMetrics implements Metrics {
  /** Everything `/metrics` shows. */
  readonly registry: Registry = new Registry();
  #counters: Record<"sent" | "delivered" | "read" | "reconnects" | "rateLimited", Counter>;
  #latency: Histogram;
  /** Connected sockets on this node. */
  readonly sockets: Gauge;

  /** Creates the instruments. */
  constructor() {
    const registers = [this.registry];
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    this.#counters = {
      sent: counter("chat_messages_sent_total", "Messages stored and acknowledged to the sender"),
      delivered: counter(
        "chat_messages_delivered_total",
        "Recipient receipts that reached delivered",
      ),
      read: counter("chat_messages_read_total", "Recipient receipts that reached read"),
      reconnects: counter("chat_reconnects_total", "user:reconnected requests"),
      rateLimited: counter("chat_rate_limited_total", "Requests refused by a rate limit"),
    };
    this.#latency = new Histogram({
      name: "chat_delivery_latency_seconds",
      help: "From a message's creation to a recipient device's ack",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30, 300, 3600, 86400],
      registers,
    });
    this.sockets = new Gauge({
      name: "chat_sockets_connected",
      help: "Connected sockets",
      registers,
    });
  }

  count(name: "sent" | "delivered" | "read" | "reconnects" | "rateLimited", n = 1): void {
    if (n > 0) this.#counters[name].inc(n);
  }

  observeDeliveryLatency(seconds: number): void {
    this.#latency.observe(Math.max(0, seconds));
  }
}
