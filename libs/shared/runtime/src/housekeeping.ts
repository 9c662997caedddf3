import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';

export interface HousekeepingTask {
  name: string;
  run(): Promise<number>;
}

/**
 * Runs idempotent clean-up tasks (expired rows, published outbox rows) every
 * `intervalMs` on each replica; deletes are safe to race, so no coordination is needed.
 */
export abstract class Housekeeping implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly logger = new Logger('Housekeeping');

  protected abstract readonly tasks: HousekeepingTask[];
  protected readonly intervalMs: number = 10 * 60_000;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every task; a failing task is logged and does not stop the others. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      for (const task of this.tasks) {
        try {
          const removed = await task.run();
          if (removed > 0) this.logger.log(`${task.name}: removed ${removed}`);
        } catch (error) {
          this.logger.warn(`${task.name} failed: ${(error as Error).message}`);
        }
      }
    })().finally(() => (this.running = null));
    return this.running;
  }
}
