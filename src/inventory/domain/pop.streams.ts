/** PoP stream names (docs/domain.md, "Streams and time"); PoP ids are client-supplied. */
export const POP_STREAM_PREFIX = 'pop-';
export const popStream = (popId: string): string => `${POP_STREAM_PREFIX}${popId}`;
