import { Module } from '@nestjs/common';
import { SupportGroupsRepository } from './support-groups.repository';

/** The one owner of the support groups' tables, imported by their administration and by tickets. */
@Module({
  providers: [SupportGroupsRepository],
  exports: [SupportGroupsRepository],
})
export class SupportGroupsStorageModule {}
