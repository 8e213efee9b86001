/**
 * Prometheus metrics with prom-client, served at `GET /metrics`.
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CounterName, Metrics } from "./core/ports.ts";

/** The registry and the instruments of one server. */
export class PrometheusMetrics implements Metrics {
  /** Everything `/metrics` shows. */
  readonly registry: Registry = new Registry();
  #counters: Record<CounterName, Counter>;
  #latency: Histogram;
  /** Connected sockets on this node. */
  readonly sockets: Gauge;
  /** 1 when a dependency answers, 0 when not, by `dependency`. */
  readonly dependencyUp: Gauge;
  /** Publisher confirms of the offline queue, by `result` (ack or nack). */
  readonly queueConfirms: Counter;
  /** Jobs no worker has taken yet, by `queue` (push.jobs, app.events), read at scrape time. */
  readonly jobsWaiting: Gauge;
  #backlog: Histogram;
  #overAlert: Gauge;
  #pending: Gauge;

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
      // An abuse wave shows as a jump here before anyone reads the reports.
      reports: counter("chat_reports_total", "Reports filed by users (repeats not counted)"),
      searches: counter("chat_searches_total", "Searches of a chat's messages"),
      uploads: counter("chat_files_uploaded_total", "Files uploaded to chats"),
      // Disappearing messages deleted by the server at their time.
      expired: counter("chat_messages_expired_total", "Messages deleted as their timer ran out"),
      eventsSent: counter("chat_app_events_sent_total", "Events the app's webhook accepted"),
      // Each is a change the app's backend must read from history: alert on any.
      eventsDropped: counter(
        "chat_app_events_dropped_total",
        "Events given up after their retries, or that could not be queued",
      ),
      pushSent: counter("chat_push_sent_total", "Push notifications the push webhook accepted"),
      // Each is a phone that did not ring; the message itself waits in the backlog.
      pushDropped: counter(
        "chat_push_dropped_total",
        "Push notifications given up after their retries, or that could not be queued",
      ),
    };
    this.#latency = new Histogram({
      name: "chat_delivery_latency_seconds",
      help: "From a message's creation to a recipient device's ack, by path (live or backlog)",
      labelNames: ["path"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30, 300, 3600, 86400],
      registers,
    });
    this.sockets = new Gauge({
      name: "chat_sockets_connected",
      help: "Connected sockets",
      registers,
    });
    this.dependencyUp = new Gauge({
      name: "chat_dependency_up",
      help: "1 when the dependency answers its last check, else 0",
      labelNames: ["dependency"],
      registers,
    });
    this.jobsWaiting = new Gauge({
      name: "chat_jobs_waiting",
      help: "Jobs queued that no worker has taken yet (push notifications, the app's events)",
      labelNames: ["queue"],
      registers,
    });
    this.queueConfirms = new Counter({
      name: "chat_queue_publish_confirms_total",
      help: "Broker confirms of offline-queue publishes, by result",
      labelNames: ["result"],
      registers,
    });
    this.#backlog = new Histogram({
      name: "chat_backlog_messages_per_user",
      help: "Undelivered messages per user that has any, at the last scrape",
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 10_000, 100_000],
      registers,
    });
    this.#overAlert = new Gauge({
      name: "chat_backlog_users_over_alert",
      help: "Users with more undelivered messages than the alert line (1000)",
      registers,
    });
    this.#pending = new Gauge({
      name: "chat_backlog_messages",
      help: "Undelivered messages in all (the queue depth of the pending index)",
      registers,
    });
  }

  /**
   * Sets the backlog figures from the store's pending counts per user (read at
   * scrape time, so they are as fresh as the scrape and cost nothing between).
   */
  setBacklog(counts: Map<string, number>, options: { alertLine: number }): void {
    this.#backlog.reset();
    let total = 0;
    let over = 0;
    for (const n of counts.values()) {
      this.#backlog.observe(n);
      total += n;
      if (n > options.alertLine) over++;
    }
    this.#pending.set(total);
    this.#overAlert.set(over);
  }

  count(name: CounterName, n = 1): void {
    if (n > 0) this.#counters[name].inc(n);
  }

  observeDeliveryLatency(seconds: number, path: "live" | "backlog"): void {
    this.#latency.observe({ path }, Math.max(0, seconds));
  }
}
