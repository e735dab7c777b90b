# snyk-mock container image.
#   docker build -t snyk-mock .
#   docker run --rm -p 8080:8080 -v snyk-mock-data:/data snyk-mock
# State (the lowdb JSON file) lives in the /data volume; everything else is read-only code.

# ---------------------------------------------------------------- build: compile TypeScript to dist/
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` build needs the sources, copied next; it runs below instead
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# fixtures/ may be empty (and then absent from a git checkout); the runtime stage copies it regardless
RUN npm run build && mkdir -p fixtures

# ---------------------------------------------------------------- runtime
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    SNYK_MOCK_HOST=0.0.0.0 \
    SNYK_MOCK_PORT=8080 \
    SNYK_MOCK_DB=/data/db.json
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no runtime dependency needs an install script, and a root `prepare` script
# (e.g. a build) must not run here, where the dev dependencies are absent
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p /data \
 && chown node:node /data
COPY --from=build /app/dist ./dist
COPY --from=build /app/fixtures ./fixtures

USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
# exec form: node is PID 1 and receives SIGTERM directly (the app shuts down on it)
ENTRYPOINT ["node", "dist/cli.js"]
