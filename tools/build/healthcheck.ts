/**
 * Container health check of a production build: `node healthcheck.js` exits 0 when the
 * service in this container answers GET /health/ready with 200 (readiness covers the
 * service's own database and migrations only; Kafka and the peer service are reported as
 * degraded without failing it). No curl or wget needed in the runtime image.
 */
const port = process.env.PORT ?? '3000';
const url = `http://127.0.0.1:${port}/health/ready`;
const timeout = AbortSignal.timeout(Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 4000));

fetch(url, { signal: timeout }).then(
  (res) => {
    process.stdout.write(`${url} ${res.status}\n`);
    process.exit(res.status === 200 ? 0 : 1);
  },
  (error: Error) => {
    process.stderr.write(`${url} unreachable: ${error.message}\n`);
    process.exit(1);
  },
);
export {};
