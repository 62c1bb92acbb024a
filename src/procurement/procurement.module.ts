import { Module } from '@nestjs/common';
import { ProcurementBatchService } from './procurement-batch.service';
import { ProcurementController } from './procurement.controller';

/** POST /integrations/procurement/records and the batch service the import CLI reuses. */
@Module({
  controllers: [ProcurementController],
  providers: [ProcurementBatchService],
  exports: [ProcurementBatchService],
})
export class ProcurementModule {}
