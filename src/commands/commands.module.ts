import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';

@Module({
  providers: [CommandExecutor],
  exports: [CommandExecutor],
})
export class CommandsModule {}
