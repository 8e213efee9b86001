/**
 * The composition root: reads the config, opens the backends, builds the core,
 * and serves the REST API and Socket.IO on one port.
 * @module
 */
import { backupCommand } from "./backup.ts";
import { openBackends } from "./backends.ts";
import { type Config, ConfigError, configuredPort, loadConfig } from "./config.ts";
import { createCore, type Logger } from "./core/mod.ts";
import { createHttpApp, createNodeServer, pingIntervalWithin, webRoutes } from "./http/mod.ts";
import { createJwtSigner } from "./http/tokens.ts";
import { startHousekeeping } from "./housekeeping.ts";
import { createLogger } from "./log.ts";
import { PrometheusMetrics } from "./metrics.ts";
import { collectBacklog, collectJobs, healthOf, watchDependencies } from "./monitor.ts";
import { Draining } from "./draining.ts";
import { attachSocketServer } from "./socket/mod.ts";
import { SocketNotifier } from "./socket/notifier.ts";

/** A started server. */
export interface RunningServer {
  /** The port it listens on (useful with `PORT=0`). */
  port: number;
  /**
   * Drains (answers the requests in progress and refuses new ones with
   * `unavailable`, for up to `SHUTDOWN_GRACE_MS`), then stops listening,
   * disconnects sockets, stores what is in flight and closes adapters.
   */
  close(): Promise<void>;
}

/** Starts the server described by a config. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<RunningServer> {
  if (config.jwtSecretGenerated) {
    logger.warn("JWT_SECRET not set: using a secret generated and kept in DATA_DIR", {
      dataDir: config.dataDir,
    });
  }
  if (config.messageKeyGenerated) {
    logger.warn("MESSAGE_KEY not set: using a key generated and kept in DATA_DIR", {
      dataDir: config.dataDir,
    });
  }
  await Deno.mkdir(config.dataDir, { recursive: true });
  // The backends are opened before the core exists; this hook is pointed at it below.
  const hooks = { onResubscribed: () => {} };
  const metrics = new PrometheusMetrics();
  const backends = await openBackends(config, logger, {
    onResubscribed: () => hooks.onResubscribed(),
    onQueueConfirm: (acked) => metrics.queueConfirms.inc({ result: acked ? "ack" : "nack" }),
  });
  const { store, socketAdapter } = backends;
  const notifier = new SocketNotifier({ clustered: socketAdapter !== undefined });
  const tokens = createJwtSigner({
    secret: config.jwtSecret,
    ttlSeconds: config.tokenTtlSeconds,
    maxAgeSeconds: config.sessionMaxAgeSeconds,
  });
  const deps = { ...backends, notifier, tokens, logger, metrics };
  const core = createCore(deps, {
    maxMessageChars: config.maxMessageChars,
    maxFileBytes: config.maxFileBytes,
    maxGroupSize: config.maxGroupSize,
    directChatPolicy: config.directChatPolicy,
    groupAddPolicy: config.groupAddPolicy,
    passwordSignup: config.passwordSignup,
    deliveryWindow: config.deliveryWindow,
    backlogPageSize: 256,
    presenceGraceMs: config.presenceGraceMs,
    limits: {
      messages: { limit: config.rateLimitMessages, windowMs: config.rateLimitWindowMs },
      loginPerAccount: { limit: config.loginLimitPerAccount, windowMs: config.loginLimitWindowMs },
      loginPerAddress: { limit: config.loginLimitPerAddress, windowMs: config.loginLimitWindowMs },
      signups: { limit: config.signupLimit, windowMs: config.signupWindowMs },
      reports: { limit: config.reportLimit, windowMs: config.reportWindowMs },
      searches: { limit: config.searchLimit, windowMs: config.searchWindowMs },
      exports: { limit: config.exportLimit, windowMs: config.exportWindowMs },
      uploads: { limit: config.uploadLimit, windowMs: config.uploadWindowMs },
      requests: { limit: config.apiRequestLimit, windowMs: config.apiRequestWindowMs },
    },
  });
  hooks.onResubscribed = () => core.delivery.wakeLocal();
  await core.push?.start();
  await core.events?.start();
  const health = healthOf(backends);
  const draining = new Draining();
  const watcher = watchDependencies(health, { metrics, logger, intervalMs: 5000 });
  const app = createHttpApp(core, {
    logger,
    metrics,
    health,
    beforeScrape: async () => {
      const jobs = { "push.jobs": backends.push?.queue, "app.events": backends.events?.queue };
      await Promise.all([
        collectBacklog(store.messages, metrics, logger),
        collectJobs(jobs, metrics),
      ]);
    },
    web: await webRoutes(),
    maxBodyBytes: config.maxBodyBytes,
    fileIdleMs: config.fileIdleMs,
    corsOrigin: config.corsOrigin,
    draining,
    adminToken: config.adminToken,
    appBackendToken: config.appBackendToken,
    trustedProxies: config.trustedProxies,
  });
  const http = createNodeServer(app.fetch, { idleMs: config.httpIdleMs });
  const sockets = attachSocketServer(http, core, {
    notifier,
    logger,
    metrics,
    ackTimeoutMs: config.ackTimeoutMs,
    pingIntervalMs: pingIntervalWithin(config.httpIdleMs),
    maxEventBytes: config.maxEventBytes,
    corsOrigin: config.corsOrigin,
    typingTtlMs: config.typingTtlMs,
    eventBudget: { limit: config.socketEventLimit, windowMs: config.socketEventWindowMs },
    maxSocketsPerUser: config.maxSocketsPerUser,
    adapter: socketAdapter?.adapter,
    draining,
  });
  // No emit and no "listening" before the adapter's subscriptions are confirmed.
  if (socketAdapter && !await socketAdapter.ready(5000)) {
    logger.warn("redis pub/sub not confirmed at start; other nodes may miss events until it is", {
      dependency: "presence",
    });
  }
  const housekeeping = startHousekeeping(core, {
    presenceSweepMs: config.redisUrl ? config.presenceHeartbeatMs : undefined,
    logger,
  });
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const port = (http.address() as { port: number }).port;
  logger.info("listening", { port, host: config.host, ...backends.names });

  return {
    port,
    async close() {
      await housekeeping.stop();
      watcher.stop();
      logger.info("draining", { graceMs: config.shutdownGraceMs });
      const running = await draining.drain({ graceMs: config.shutdownGraceMs });
      if (running > 0) logger.warn("shutdown grace over with requests running", { running });
      http.close();
      http.closeAllConnections();
      await sockets.close();
      // The departures of this node's users: their grace would outlive the process.
      await core.presence.flush();
      await core.delivery.flushed();
      await core.push?.close();
      await core.events?.close();
      await backends.close();
      logger.info("stopped");
    },
  };
}

/** `chat-server healthcheck`: exits 0 when this host's server answers /health with 200. */
async function healthcheck(port: number): Promise<never> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    await res.body?.cancel();
    Deno.exit(res.ok ? 0 : 1);
  } catch {
    Deno.exit(1);
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "healthcheck") await healthcheck(configuredPort());
  if (Deno.args[0] === "backup") await backupCommand(Deno.args[1]);
  let config: Config;
  try {
    config = await loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    Deno.exit(1);
  }
  const server = await startServer(config);
  // A second signal during the drain (Ctrl-C twice) stops at once, as a crash would: safely.
  let stopping = false;
  const stop = async () => {
    if (stopping) Deno.exit(1);
    stopping = true;
    await server.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
