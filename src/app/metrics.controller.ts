import { Controller, Get, Header } from '@nestjs/common';
import { Access } from '../platform/api/auth/access.decorator';
import { MetricsService } from '../platform/observability/metrics.service';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Access('planningRead')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
