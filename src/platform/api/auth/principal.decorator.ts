import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { requestOf } from './auth.guard';
import { Principal } from './roles.types';

/** The caller authenticated by AuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => requestOf(context).principal as Principal,
);
