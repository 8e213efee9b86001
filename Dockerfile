# Multi-stage: compile the server to one binary, ship it in a small image.
# `deno compile` downloads its runtime; it cannot run on the development machines
# of this project (no network), so this file is kept correct by reading.
FROM denoland/deno:2.9.6 AS build
WORKDIR /app
COPY deno.json deno.lock ./
COPY src ./src
COPY web ./web
RUN deno install --frozen && deno task compile && mkdir -p /out/data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /app/dist/chat-server /chat-server
# The nonroot user (65532) must own /data for the embedded KV store.
COPY --from=build --chown=65532:65532 /out/data /data
ENV PORT=3000 DATA_DIR=/data DENO_ENV=production
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["/chat-server", "healthcheck"]
ENTRYPOINT ["/chat-server"]
