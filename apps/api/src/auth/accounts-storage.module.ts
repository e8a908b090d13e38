import { Module } from '@nestjs/common';
import { AccountsRepository } from './accounts.repository';

/** The accounts table's one owner, for every module that reads or writes accounts (authentication included). */
@Module({ providers: [AccountsRepository], exports: [AccountsRepository] })
export class AccountsStorageModule {}
