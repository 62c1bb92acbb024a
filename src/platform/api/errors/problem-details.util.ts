import type { FastifyReply } from 'fastify';
import { ApiError } from './api-error.types';

/** Writes an ApiError as `application/problem+json` (RFC 9457) with the same code as GraphQL. */
export function sendProblem(reply: FastifyReply, error: ApiError): void {
  void reply
    .status(error.httpStatus)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({
      type: `https://pop-ledger.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
      title: error.code,
      status: error.httpStatus,
      detail: error.message,
      code: error.code,
      ...error.extensions,
    });
}
