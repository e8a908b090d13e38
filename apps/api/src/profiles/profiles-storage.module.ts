import { Module } from '@nestjs/common';
import { ProfilesRepository } from './profiles.repository';

/** The profiles tables' one owner, for every module that reads or writes profiles. */
@Module({ providers: [ProfilesRepository], exports: [ProfilesRepository] })
export class ProfilesStorageModule {}
