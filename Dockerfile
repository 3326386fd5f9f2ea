# Multi-stage build: compile TypeScript with dev dependencies; build runtime dependencies (better-sqlite3 is a
# native addon, compiled here for Node 22) in their own stage; ship only those and dist/.
# Mount your own config at /app/config.yaml (e.g. -v $PWD/config.yaml:/app/config.yaml:ro); the SQLite store
# lives in /app/.gatehouse (mount a volume there, or set DATABASE_URL=postgresql://…).
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY providers ./providers
RUN npm run build

FROM node:22-slim AS runtime-deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts skips our own `prepare` (it needs the dev dependencies); the addon is built explicitly.
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force

FROM node:22-slim AS runtime
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY config.yaml ./config.yaml
RUN mkdir -p /app/.gatehouse && chown node:node /app/.gatehouse
USER node
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health/liveliness').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js", "--config", "/app/config.yaml"]
