import { Field, ObjectType } from '@nestjs/graphql';
import { ApiError } from './errors/api-error.types';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

/** Relay cursors are opaque to clients: base64url of an offset key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null, field = 'after'): string | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!decoded) throw ApiError.badInput([{ field, message: 'is not a cursor returned by this API' }]);
  return decoded;
}

export function pageSize(first: number | undefined | null, fallback = 50): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw ApiError.badInput([{ field: 'first', message: `must be an integer from 0 to ${MAX_PAGE_SIZE}` }]);
  }
  return size;
}
