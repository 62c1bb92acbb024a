import { SetMetadata } from '@nestjs/common';
import { AccessRule } from './roles.types';

export const ACCESS_KEY = 'popLedger:access';
export const PUBLIC_KEY = 'popLedger:public';

/** Declares which roles may call a resolver or route (docs/api.md, "Access"). */
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);

/** Marks a route that needs no key (only /health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
