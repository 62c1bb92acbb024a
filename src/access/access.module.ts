import { Module } from '@nestjs/common';
import { CommandsModule } from '../platform/commands/commands.module';
import { Projection } from '../platform/projections/projection.port';
import { apiKeysProjection } from './read/api-keys.projection';
import { ApiKeysResolver } from './read/api-keys.resolver';
import { MeResolver } from './read/me.resolver';
import { ListApiKeysHandler } from './read/list-api-keys.query';
import { CreateApiKeyHandler, RevokeApiKeyHandler } from './write/api-key-commands.handler';
import { ApiKeyDirectoryService } from './write/api-key-directory.service';
import { ApiKeyResolver } from './write/api-key.resolver';

/** Read models the projection engine must run for the `apiKeys` query. */
export const accessProjections: Projection[] = [apiKeysProjection];

/**
 * Stored API keys: creation and revocation (write), the key list (read), and the ApiKeyDirectory the
 * platform's authentication asks (exported for the composition root to bind).
 */
@Module({
  imports: [CommandsModule],
  providers: [ApiKeyResolver, CreateApiKeyHandler, RevokeApiKeyHandler, ApiKeyDirectoryService, ApiKeysResolver, ListApiKeysHandler, MeResolver],
  exports: [ApiKeyDirectoryService],
})
export class AccessModule {}
