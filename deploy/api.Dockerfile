FROM python:3.11-slim
WORKDIR /app/backend
COPY backend/requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY backend/ .
COPY openapi.yaml /app/openapi.yaml
ENV FRONTEND_DIST=/nonexistent
USER nobody
EXPOSE 8000
