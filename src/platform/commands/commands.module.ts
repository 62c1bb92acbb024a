import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor.service';

@Module({
  providers: [CommandExecutor],
  exports: [CommandExecutor],
})
export class CommandsModule {}
