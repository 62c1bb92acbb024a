import { Body, Controller, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { ApiError } from '../../platform/api/errors/api-error.types';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { BatchResult, recordsOf } from './procurement-batch.types';
import { ProcurementBatchService } from './procurement-batch.service';
import { hasValidSignature, SIGNATURE_HEADER } from './webhook-signature.util';

/** The procurement webhook (docs/api.md, "Procurement integration"): 200 for every well-formed batch, with a result per record. */
@Controller('integrations/procurement')
export class ProcurementController {
  constructor(
    private readonly batches: ProcurementBatchService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('records')
  @HttpCode(200)
  @Access('procurementPush')
  receive(
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Query('dryRun') dryRun?: unknown,
  ): Promise<BatchResult> {
    const secret = this.config.PROCUREMENT_WEBHOOK_SECRET;
    // The signature covers the bytes as sent (rawBody: true in create-app), not a re-serialisation.
    if (secret !== undefined && !hasValidSignature(request.rawBody, request.headers[SIGNATURE_HEADER], secret)) {
      throw new ApiError('UNAUTHENTICATED', 'X-Signature must be "sha256=<hex HMAC-SHA256 of the raw body>" made with the webhook secret');
    }
    return this.batches.process(recordsOf(body), principal, 'procurement', { dryRun: dryRunOf(dryRun) });
  }
}

/** `?dryRun=true` (or `false`, or absent); anything else is a bad request. */
function dryRunOf(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw ApiError.badInput([{ field: 'dryRun', message: 'dryRun must be true or false' }]);
}
