/**
 * The Hono app: REST routes, health and metrics. Handlers only translate between
 * HTTP and the core; errors are answered by the one `onError`.
 * @module
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { Core, Logger } from "../core/mod.ts";
import { boundPathParts, limitBody } from "./_validate.ts";
import type { Draining } from "../draining.ts";
import type { PrometheusMetrics } from "../metrics.ts";
import { adminRoutes } from "./admin.ts";
import { appBackendRoutes } from "./app_backend.ts";
import { authRoutes } from "./auth.ts";
import { chatRoutes } from "./chats.ts";
import { inviteRoutes } from "./invites.ts";
import { fileRoutes, UPLOAD_PATH } from "./files.ts";
import { drainGuard } from "./draining.ts";
import { errorHandler, notFound } from "./errors.ts";
import { messageRoutes } from "./messages.ts";
import { reportRoutes } from "./reports.ts";
import { userRoutes } from "./users.ts";

export { webRoutes } from "./web.ts";
export { createNodeServer, pingIntervalWithin } from "./node_server.ts";

/** State of each dependency, as `/health` reports it. */
export interface HealthReport {
  status: "ok" | "degraded";
  deps: Record<"store" | "presence" | "queue", "ok" | "down">;
}

/** Options of the HTTP app. */
export interface HttpOptions {
  logger: Logger;
  metrics: PrometheusMetrics;
  health: () => Promise<HealthReport>;
  /** Refreshes the figures read at scrape time (backlog per user). */
  beforeScrape?: () => Promise<void>;
  /** The web page's routes (see web.ts), mounted at `/`. */
  web?: Hono;
  maxBodyBytes: number;
  /** How long a file upload or download may move no bytes before it is cut off. */
  fileIdleMs: number;
  corsOrigin: string;
  /** Counts requests in progress for a graceful stop, and refuses new ones during it. */
  draining: Draining;
  /** Proxies in front that append the client's address to X-Forwarded-For. */
  trustedProxies: number;
  /** The operators' bearer token for `/api/admin/*`; those routes answer 404 without one. */
  adminToken?: string;
  /** The app backend's bearer token for `/api/app/*`; those routes answer 404 without one. */
  appBackendToken?: string;
}

/** Builds the Hono app over the core. */
export function createHttpApp(core: Core, options: HttpOptions): Hono {
  const app = new Hono();
  app.onError(errorHandler(options.logger));
  app.notFound(notFound);
  // Headers a web client on another origin reads: a rate limit's wait, and a
  // download's name, part and tag (to resume it).
  const exposeHeaders = ["Retry-After", "Content-Disposition", "Content-Range", "ETag"];
  app.use("/api/*", cors({ origin: options.corsOrigin, exposeHeaders }));
  app.use("*", drainGuard(options.draining));
  const limit = limitBody(options.maxBodyBytes, "Body");
  app.use("/api/*", (c, next) => UPLOAD_PATH.test(c.req.path) ? next() : limit(c, next));
  // An id percent-encoded (three characters each at most) fits; two fit in a store key.
  app.use("/api/*", boundPathParts(256));
  const { trustedProxies, logger } = options;
  app.route("/api/auth", authRoutes(core, { trustedProxies, logger }));
  const files = { logger: options.logger, draining: options.draining, idleMs: options.fileIdleMs };
  app.route("/api/chats", chatRoutes(core, files));
  app.route("/api/files", fileRoutes(core, files));
  app.route("/api/messages", messageRoutes(core));
  app.route("/api", userRoutes(core));
  app.route("/api", reportRoutes(core));
  app.route("/api/invites", inviteRoutes(core));
  app.route("/api/admin", adminRoutes(core, { adminToken: options.adminToken }));
  app.route("/api/app", appBackendRoutes(core, { token: options.appBackendToken, files }));

  app.get("/health", async (c) => {
    const report = await options.health();
    // The store is what every request needs: without it this node cannot serve.
    return c.json(report, report.deps.store === "ok" ? 200 : 503);
  });

  if (options.web) app.route("/", options.web);

  app.get("/metrics", async (c) => {
    await options.beforeScrape?.();
    c.header("Content-Type", options.metrics.registry.contentType);
    return c.body(await options.metrics.registry.metrics());
  });

  return app;
}
