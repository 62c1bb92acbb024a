/** Answers from this size (UTF-16 code units) on are sent as bytes; smaller ones as the string they are. */
export const LARGE_ANSWER_CHARS = 64 * 1024;

/**
 * A large serialized answer as a Buffer, for fastify's onSend. Sent as a string, node:http prepends the
 * status line and headers to it (a second copy of the whole answer, built in the JS heap) and the socket then
 * encodes that copy into a third; sent as a Buffer, the headers go beside it and its bytes are written as they
 * are. For a 10,000-row residency report (11.7 MB) that was about 10 ms of CPU, mostly the kernel's page
 * faults on the copies (docs/operations.md, "The residency report"). The bytes and their length are the same.
 */
export function largeAnswerAsBuffer<T>(payload: T): T | Buffer {
  return typeof payload === 'string' && payload.length >= LARGE_ANSWER_CHARS ? Buffer.from(payload) : payload;
}
