import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './workspace-root';

const run = promisify(execFile);
const KAFKA_SCRIPT = join(workspaceRoot(), 'tools/kafka/kafka.sh');

export interface LocalKafka {
  brokers: string[];
  stop(): Promise<void>;
}

/** True when a Java runtime is available to run the broker. */
export async function javaAvailable(): Promise<boolean> {
  return run('java', ['-version']).then(
    () => true,
    () => false,
  );
}

/**
 * Starts (or reuses) a single-node KRaft Apache Kafka broker on 127.0.0.1 via
 * tools/kafka/kafka.sh, which resolves the broker jars from Maven Central once.
 */
export async function startLocalKafka(options: { dataDir: string; port?: number }): Promise<LocalKafka> {
  const args = ['start', '--data-dir', options.dataDir, '--port', String(options.port ?? 0)];
  const { stdout } = await run('bash', [KAFKA_SCRIPT, ...args], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  const address = stdout.trim().split('\n').pop() ?? '';
  if (!/^127\.0\.0\.1:\d+$/.test(address)) throw new Error(`kafka.sh start printed no broker address: ${stdout}`);
  return {
    brokers: [address],
    stop: () => stopLocalKafka(options.dataDir),
  };
}

/** Stops the broker whose data directory is `dataDir` (idempotent: nothing running is fine). */
export async function stopLocalKafka(dataDir: string): Promise<void> {
  await run('bash', [KAFKA_SCRIPT, 'stop', '--data-dir', dataDir], { timeout: 60_000 });
}
