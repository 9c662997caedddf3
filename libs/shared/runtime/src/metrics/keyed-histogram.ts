import { Histogram, type HistogramConfiguration } from 'prom-client';

/** prom-client's internal export format of a histogram (Histogram#getForPromString, not in its typings). */
interface ExportedHistogram {
  values: {
    labels: Record<string, string | number>;
    sharedLabels: Record<string, string>;
    value: number;
    metricName: string;
  }[];
}

interface Series<T extends string> {
  labels: Record<T, string>;
  /** Observations per bucket (not cumulative), in the order of the bounds. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * prom-client's Histogram plus `observeSeries` for a per-request hot path: the series is found by
 * one string key the caller builds, where prom-client validates and hashes the label object on
 * every observation (about 2% of a client-credentials request's CPU). The series appear in the
 * exposition exactly like the histogram's own; observe a label set through one of the two only.
 */
export class KeyedHistogram<T extends string> extends Histogram<T> {
  private readonly series = new Map<string, Series<T>>();
  private readonly bounds: number[];
  private readonly metricName: string;

  constructor(config: HistogramConfiguration<T> & { buckets: number[] }) {
    super(config);
    this.metricName = config.name;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** One observation of the series `key`; `labels` is asked for only when the series is new. */
  observeSeries(key: string, labels: () => Record<T, string>, value: number): void {
    let series = this.series.get(key);
    if (!series) {
      series = { labels: labels(), buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    const bucket = this.bounds.findIndex((bound) => value <= bound);
    if (bucket !== -1) series.buckets[bucket]!++;
    series.sum += value;
    series.count++;
  }

  /**
   * What prom-client's Registry formats (and get() splays): the histogram's own series, then the
   * keyed ones, in the same shape (bucket bounds as labels, the series' labels as shared labels).
   */
  async getForPromString(): Promise<ExportedHistogram> {
    const metric = await (
      Histogram.prototype as unknown as { getForPromString(): Promise<ExportedHistogram> }
    ).getForPromString.call(this);
    for (const { labels, buckets, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += buckets[i]!;
        metric.values.push({
          labels: { le: bound },
          sharedLabels: labels,
          value: cumulative,
          metricName: `${this.metricName}_bucket`,
        });
      });
      metric.values.push(
        { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: `${this.metricName}_bucket` },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.metricName}_sum` },
        { labels: {}, sharedLabels: labels, value: count, metricName: `${this.metricName}_count` },
      );
    }
    return metric;
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor resets too, before this class's fields exist.
    this.series?.clear();
  }
}
