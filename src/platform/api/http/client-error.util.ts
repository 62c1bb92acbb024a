import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { RAW_ANSWER_SECURITY_HEADERS } from './security-headers.config';

/**
 * Fastify's `clientErrorHandler`: a request Node cannot even parse (malformed request line, headers over
 * the limit, a client too slow to send them) gets problem details with the security headers of every
 * other answer, instead of Fastify's bare default.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail = status === 431 ? 'Request line and headers are too large' : status === 408 ? 'The request was not received in time' : 'Malformed HTTP request';
  const body = JSON.stringify({ type: 'https://pop-ledger.dev/problems/bad-user-input', title: 'BAD_USER_INPUT', status, detail, code: 'BAD_USER_INPUT' });
  const headers = Object.entries({
    ...RAW_ANSWER_SECURITY_HEADERS,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.join('')}\r\n${body}`);
  socket.destroy(error);
}
