import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { ExecutePolicyCommandHandler } from './execute-policy-command';
import { PolicyResolver } from './policy.resolver';

@Module({
  imports: [CommandsModule],
  providers: [PolicyResolver, ExecutePolicyCommandHandler],
})
export class PolicyModule {}
