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
# glibc keeps scrypt's 16 MiB per password hash once its mmap threshold has risen
# (1,000 logins held 200 MB); a fixed 4 MiB threshold returns them. See README.
ENV PORT=3000 DATA_DIR=/data DENO_ENV=production MALLOC_MMAP_THRESHOLD_=4194304
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["/chat-server", "healthcheck"]
ENTRYPOINT ["/chat-server"]
