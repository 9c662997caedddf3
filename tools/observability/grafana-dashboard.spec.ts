import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  dashboardExpressions,
  dashboardMetricNames,
  loadDashboard,
  metricNamesIn,
  unknownMetrics,
  type Dashboard,
} from './dashboard-metrics';

const root = join(__dirname, '../..');

/** Metric families the services register: prom-client's defaults plus every metric constructed in apps/ and libs/. */
async function registeredFamilies(): Promise<Map<string, string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const families = new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
  // KeyedHistogram (@platform/runtime) is a prom-client Histogram with a faster series look-up.
  const constructed =
    /new (?:Keyed)?(Gauge|Counter|Histogram|Summary)(?:<[^>]*>)?\(\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g;
  for (const file of sourceFiles(join(root, 'apps')).concat(sourceFiles(join(root, 'libs')))) {
    for (const match of readFileSync(file, 'utf8').matchAll(constructed)) {
      families.set(match[2]!, match[1]!.toLowerCase());
    }
  }
  return families;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(spec|int)\.ts$/.test(e.name))
    .filter((e) => !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

describe('Grafana dashboard (docs/grafana/identity-platform.json)', () => {
  const dashboard = loadDashboard();

  it('queries only metrics the services register', async () => {
    const names = dashboardMetricNames(dashboard);
    expect(names).toEqual(
      expect.arrayContaining([
        'http_request_duration_seconds_bucket',
        'outbox_backlog_messages',
        'process_cpu_seconds_total',
      ]),
    );
    expect(unknownMetrics(names, await registeredFamilies())).toEqual([]);
  });

  it('is a well-formed dashboard: unique panel ids, a query per panel, a 24-column grid', () => {
    const panels = dashboard.panels as {
      id: number;
      type: string;
      targets?: unknown[];
      gridPos: { x: number; w: number };
    }[];
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
    expect(dashboardExpressions(dashboard)).toContain('process_start_time_seconds'); // template variables too
  });

  it('finds metric names in PromQL, not functions, labels, keywords or variables', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{service=~"$service", route!~"/metrics|x"}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNamesIn('max by (service) (a_total) / ignoring(x) b offset 5m and on(y) c_seconds')).toEqual([
      'a_total',
      'b',
      'c_seconds',
    ]);
  });

  it('reports a metric nobody registers, and histogram series only for histograms', () => {
    const families = new Map([
      ['h_seconds', 'histogram'],
      ['g', 'gauge'],
    ]);
    const fake: Dashboard = {
      panels: [{ targets: [{ expr: 'rate(h_seconds_bucket[5m]) + g + g_count + typo_total + up' }] }],
    };
    expect(unknownMetrics(dashboardMetricNames(fake), families)).toEqual(['g_count', 'typo_total']);
  });
});
