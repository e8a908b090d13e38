import { Module } from '@nestjs/common';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { FILE_STORE, LocalFileStore } from './file-store';

/** The file store, behind its token: an object-store implementation replaces this provider only. */
@Module({
  providers: [{ provide: FILE_STORE, inject: [RUNTIME_CONFIG], useFactory: (config: RuntimeConfig) => new LocalFileStore(config.filesDir) }],
  exports: [FILE_STORE],
})
export class StorageModule {}
