import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { Database } from './database';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: RuntimeConfig, dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: RUNTIME_CONFIG, useValue: config }, { provide: DataSource, useValue: dataSource }, Database],
      exports: [RUNTIME_CONFIG, DataSource, Database],
    };
  }
}
