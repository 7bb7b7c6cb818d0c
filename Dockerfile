# The app image for docker compose: Node 20 + the workspace; Postgres and Redis come from compose services.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY db/package.json db/
COPY sync/package.json sync/
COPY api/package.json api/
COPY web/package.json web/
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/* \
  && npm ci --no-audit --no-fund
COPY . .
EXPOSE 3000
CMD ["npm", "start"]
