import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { ExecuteFxCommandHandler, FxResolver } from './fx.resolver';

@Module({
  imports: [CommandsModule],
  providers: [FxResolver, ExecuteFxCommandHandler],
})
export class FxModule {}
