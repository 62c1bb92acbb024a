import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../../platform/api/auth/access.decorator';
import { ApiError } from '../../platform/api/errors/api-error.types';
import { parseDateTime } from '../../platform/api/scalars/date-time.scalar';
import { RackElevationArgs, RackElevationParams } from './rack-elevation.input';
import { ElevationAnswer, RackElevationService } from './rack-elevation.service';

/**
 * A rack's front at any instant as SVG, for the console and for people's own pages (docs/api.md, "Rack
 * elevations"). Everyone who may read capacity may draw it. The answer is revalidated on every use
 * (`no-cache`: a new event can change it) and carries an ETag, so a browser that has it gets a 304.
 */
@Controller('pops')
@Access('planningRead')
export class RackElevationController {
  constructor(private readonly elevations: RackElevationService) {}

  @Get(':popId/racks/:rackId/elevation.svg')
  async elevation(
    @Param() { popId, rackId }: RackElevationParams,
    @Query() { asOf }: RackElevationArgs,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const answer = await this.elevations.elevation(popId, rackId, asOf === undefined ? undefined : parseDateTime(asOf));
    if (!answer.found) throw notFound(popId, rackId, answer);
    void reply.header('content-type', 'image/svg+xml; charset=utf-8').header('cache-control', 'private, no-cache').header('etag', answer.etag);
    if (matchesEtag(request.headers['if-none-match'], answer.etag)) {
      void reply.status(304);
      return '';
    }
    return answer.svg;
  }
}

function notFound(popId: string, rackId: string, answer: Exclude<ElevationAnswer, { found: true }>): ApiError {
  switch (answer.missing) {
    case 'pop':
      return new ApiError('NOT_FOUND', `PoP ${popId} does not exist`);
    case 'rack':
      return new ApiError('NOT_FOUND', `PoP ${popId} has no rack ${rackId}`);
    case 'at-instant': {
      const until = answer.presentUntil === null ? '' : ` until ${answer.presentUntil}`;
      return new ApiError('NOT_FOUND', `Rack ${rackId} of PoP ${popId} is not installed at that instant: it is there from ${answer.presentFrom}${until}`, {
        presentFrom: answer.presentFrom,
        presentUntil: answer.presentUntil,
      });
    }
  }
}

/** If-None-Match: `*` or a list of tags, weak ones compared weakly (RFC 9110, 13.1.2). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}
