import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Bytes the process keeps, for memory bounds measured by structure (never by time): the JS heap and
 * array buffers in use after collecting the garbage (array buffers are freed after the collection, in
 * a later task). Compare two calls around building what is measured, and keep it referenced until after.
 */
export async function liveBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
