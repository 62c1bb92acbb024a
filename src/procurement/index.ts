/**
 * Procurement integration: the signed, idempotent webhook and the batch service the import CLI
 * shares. The only way in from the tools and the composition root.
 */
export { ProcurementModule } from './procurement.module';
export { MAX_BATCH_RECORDS } from './write/procurement-batch.types';
export type { BatchResult, RecordResult } from './write/procurement-batch.types';
export { ProcurementBatchService } from './write/procurement-batch.service';
export { signBody, SIGNATURE_HEADER } from './write/webhook-signature.util';
export { numericFields, procurementKind } from './write/procurement-kinds.rules';
