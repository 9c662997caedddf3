import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Grafana dashboard shipped in docs/, and helpers that keep its queries honest. */
export const DASHBOARD_PATH = join(__dirname, '../../docs/grafana/identity-platform.json');

/** Series Prometheus itself adds to every scrape target (not registered by the services). */
export const PROMETHEUS_SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

interface Panel {
  targets?: { expr?: string }[];
  panels?: Panel[];
}

export interface Dashboard {
  panels?: Panel[];
  templating?: { list?: { query?: string | { query?: string } }[] };
}

export function loadDashboard(path = DASHBOARD_PATH): Dashboard {
  return JSON.parse(readFileSync(path, 'utf8')) as Dashboard;
}

/** Every PromQL expression of the dashboard: panel targets (rows included) and template queries. */
export function dashboardExpressions(dashboard: Dashboard): string[] {
  const exprs: string[] = [];
  const visit = (panels: Panel[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) exprs.push(target.expr);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const inner = query?.match(/^(?:label_values|query_result)\((.*)\)$/s)?.[1];
    if (inner) exprs.push(inner.replace(/,\s*[a-z_]+\s*$/, ''));
  }
  return exprs;
}

/** Metric names an expression selects (functions, keywords, labels, variables and durations removed). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // grouping labels
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, ' '); // Grafana variables
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(?![A-Za-z0-9_:])(?!\s*\()/g)) {
    const word = match[1]!;
    if (!PROMQL_WORDS.has(word.toLowerCase())) names.add(word);
  }
  return [...names];
}

export function dashboardMetricNames(dashboard: Dashboard): string[] {
  return [...new Set(dashboardExpressions(dashboard).flatMap(metricNamesIn))].sort();
}

/** Metric families and their types from a Prometheus text exposition (`# TYPE name type`). */
export function exposedFamilies(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1]!, match[2]!);
  return families;
}

/** Names the dashboard uses that no family provides (histogram/summary series suffixes understood). */
export function unknownMetrics(names: string[], families: Map<string, string>): string[] {
  const known = (name: string) => {
    if (families.has(name) || PROMETHEUS_SYNTHETIC.has(name)) return true;
    const series = name.match(/^(.*)_(bucket|sum|count)$/);
    if (!series) return false;
    const type = families.get(series[1]!);
    return type === 'histogram' || (type === 'summary' && series[2] !== 'bucket');
  };
  return names.filter((name) => !known(name));
}
