import { Controller, Get, Inject, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { DEPENDENCY_PROBES, type DependencyProbe } from './dependency-probe';
import { HealthReportFilter } from './health-report.filter';

const PROBE_TIMEOUT_MS = 1_500;

@ApiTags('health')
@Controller('health')
@UseFilters(HealthReportFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    @Inject(DEPENDENCY_PROBES) private readonly probes: DependencyProbe[],
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: own database reachable and migrations applied',
    description: 'Kafka and the other service are reported in the details as degraded but never fail readiness.',
  })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(PROBE_TIMEOUT_MS),
      () => this.migrations(),
      ...this.probes.map((probe) => () => this.dependency(probe)),
    ]);
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('migrations');
    const pending = await this.dataSource.showMigrations();
    return pending ? check.down({ message: 'pending migrations: run the migrate step' }) : check.up();
  }

  private async dependency(probe: DependencyProbe): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(probe.name);
    try {
      const { ok, ...details } = await probe.check(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      return ok ? check.up(details) : check.degraded(details);
    } catch (error) {
      return check.degraded({ message: (error as Error).message });
    }
  }
}
