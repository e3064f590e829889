# One Outboard relay node (docs/deploy.md). Not built by the tests: the development machine has no container daemon.
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 compiles itself when no prebuilt binary fits the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# npm ci runs `prepare`: builds engine.wasm and the app into dist/.
RUN npm ci && npm cache clean --force
ENV HOST=0.0.0.0 PORT=8350 OUTBOARD_DATA_DIR=/data
EXPOSE 8350
# The command the benches and the e2e tests start relay processes with (serveArgs in server/package-info.ts):
# the compiled CLI (package.json's bin) with the relay's node flags (RELAY_NODE_FLAGS).
CMD ["node", "--no-memory-reducer", "build/cli/bin/outboard.js", "serve", "--quiet"]
