# Node 24 "Krypton", the current LTS line (Node 20 reached its end of life in April 2026), pinned to a
# patch release so that a rebuild gives the same runtime; move it forward on purpose. package.json's
# engines still allows Node >= 20.19 for those who run newswatch outside Docker.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# Build stage: compile TypeScript with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, compiled code, the default config and the health check.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY config ./config
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# The metrics server (/healthz, /metrics, the status page) on the container's loopback, so the health
# check below asks the service itself; a config's metrics.host and metrics.token still apply.
ENV NEWSWATCH_METRICS_PORT=9464
# Asks the service's /healthz, which answers only while its event loop runs and it reaches Redis.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.js"]
# node is PID 1 and gets SIGTERM itself: in-flight jobs finish (stop_grace_period in docker-compose.yml).
CMD ["node", "dist/src/cli/main.js", "run"]
