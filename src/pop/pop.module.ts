import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { ExecutePopCommandHandler, ExecutePopCommandsHandler } from './execute-pop-command';
import { PopResolver } from './pop.resolver';

@Module({
  imports: [CommandsModule],
  providers: [PopResolver, ExecutePopCommandHandler, ExecutePopCommandsHandler],
})
export class PopModule {}
