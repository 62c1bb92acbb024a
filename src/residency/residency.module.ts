import { Module } from '@nestjs/common';
import { Projection } from '../projections/projection';
import { ResidencyReportController } from './residency-report.controller';
import { ResidencyReportHandler } from './residency-report.query';
import { ResidencyReportResolver } from './residency-report.resolver';
import { residencyProjection } from './residency.projection';

/** Read models the projection engine must run for the residency reports. */
export const residencyProjections: Projection[] = [residencyProjection];

@Module({
  controllers: [ResidencyReportController],
  providers: [ResidencyReportResolver, ResidencyReportHandler],
})
export class ResidencyModule {}
