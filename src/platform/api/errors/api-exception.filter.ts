import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toApiError } from './to-api-error.util';
import { sendProblem } from './problem-details.util';

/**
 * One filter for REST and GraphQL. REST answers RFC 9457 problem details; for GraphQL the mapped
 * error is rethrown and the GraphQL error formatter puts `code` into `extensions`.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const error = toApiError(exception);
    if (error.code === 'INTERNAL_SERVER_ERROR') this.logger.error(exception);
    if (host.getType<string>() === 'graphql') return error;
    sendProblem(host.switchToHttp().getResponse<FastifyReply>(), error);
    return undefined;
  }
}
