import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { JobsModule } from '../jobs/jobs.module';
import { StorageModule } from '../storage/storage.module';
import { FileScanning } from './file-scanning';
import { FileScansRepository } from './file-scans.repository';

/** Antivirus scanning of stored files with clamd (ADR 0039); features that keep files import it and use FileScanning. */
@Module({
  imports: [JobsModule, StorageModule, AuditModule],
  providers: [FileScansRepository, FileScanning],
  exports: [FileScanning],
})
export class ScanningModule {}
