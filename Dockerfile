# Multi-stage build: compile with dev dependencies, run with production ones as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY .swcrc ./
COPY src ./src
# The service's part of `npm run build` (swc src test bench -d dist): the same compiler, .swcrc and output
# paths, so dist/src here is byte for byte the dist/src the tests run (test/app/container-build.test.ts).
RUN npx swc src -d dist -q
# The console and GraphiQL pages (scripts/build-web.mjs, the rest of `npm run build`) into dist/web.
COPY console ./console
COPY scripts/build-web.mjs ./scripts/build-web.mjs
RUN node scripts/build-web.mjs

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/web ./dist/web
# The service's Node flags (scripts/service.sh execs node with them).
COPY scripts/service.sh ./scripts/service.sh
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["sh", "scripts/service.sh", "dist/src/main.js"]
