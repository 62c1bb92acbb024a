import { Module } from '@nestjs/common';
import { ProcurementBatchService } from './write/procurement-batch.service';
import { ProcurementController } from './write/procurement.controller';

/** POST /integrations/procurement/records and the batch service the import CLI reuses. */
@Module({
  controllers: [ProcurementController],
  providers: [ProcurementBatchService],
  exports: [ProcurementBatchService],
})
export class ProcurementModule {}
