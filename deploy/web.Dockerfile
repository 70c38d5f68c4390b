FROM node:20-slim AS build
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY openapi.yaml /app/openapi.yaml
COPY frontend/ .
# also writes .gz and .br beside each text file and fails above the first-load JS budget
RUN npm run build

# Debian's nginx rather than the nginx.org image: Debian packages the brotli_static module
# (libnginx-mod-http-brotli-static); the nginx.org image has gzip_static only.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-static \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default /var/www/html \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
COPY deploy/nginx.conf /etc/nginx/conf.d/steward.conf
COPY deploy/nginx-headers.conf /etc/nginx/snippets/steward-headers.conf
COPY --from=build /app/frontend/dist /usr/share/nginx/html
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
