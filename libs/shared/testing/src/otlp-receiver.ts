import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OTLP span kinds (opentelemetry/proto/trace/v1/trace.proto). */
export const SpanKinds = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

export interface ReceivedSpan {
  /** `service.name` of the resource that sent it. */
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpJsonTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
        status?: { code?: number };
      }[];
    }[];
  }[];
}

/**
 * A minimal OpenTelemetry collector for tests: accepts OTLP/HTTP JSON exports
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) on POST /v1/traces and keeps the spans.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Export requests received (including ones that were not JSON). */
  requests = 0;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests++;
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        if (!String(req.headers['content-type']).startsWith('application/json')) {
          res.writeHead(415).end();
          return;
        }
        this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJsonTraces);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Polls until a span matching `predicate` has arrived. */
  async waitFor(predicate: (span: ReceivedSpan) => boolean, what: string, timeoutMs = 30_000): Promise<ReceivedSpan> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.spans.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.spans.map((s) => `${s.service}: ${s.name}`).join(', ');
        throw new Error(`no span for ${what} within ${timeoutMs} ms; received: ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The span's ancestors in its trace, nearest first (as far as they have arrived). */
  ancestors(span: ReceivedSpan): ReceivedSpan[] {
    const chain: ReceivedSpan[] = [];
    let parentId = span.parentSpanId;
    while (parentId) {
      const parent = this.spans.find((s) => s.traceId === span.traceId && s.spanId === parentId);
      if (!parent) break;
      chain.push(parent);
      parentId = parent.parentSpanId;
    }
    return chain;
  }

  private collect(body: OtlpJsonTraces): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = attributeMap(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service: String(resource['service.name']),
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || null,
            name: span.name,
            kind: span.kind,
            attributes: attributeMap(span.attributes),
            statusCode: span.status?.code ?? 0,
          });
        }
      }
    }
  }
}

function attributeMap(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        value.boolValue ??
        (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
        value.doubleValue ??
        '',
    ]),
  );
}
