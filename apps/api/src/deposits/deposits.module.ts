import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditModule } from '../audit/audit.module';
import { RUNTIME_CONFIG, type RuntimeConfig } from '../config/config';
import { ProjectsModule } from '../projects/projects.module';
import { ScanningModule } from '../scanning/scanning.module';
import { StorageModule } from '../storage/storage.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ArchiveInspector } from './archive-inspector';
import { DepositScanning } from './deposit-scanning';
import { DepositsController } from './deposits.controller';
import { DepositsRepository } from './deposits.repository';
import { ARCHIVE_INSPECTOR, DepositsService } from './deposits.service';
import { findSevenZip, SevenZipLister } from './seven-zip-lister';
import { TarLister } from './tar-lister';
import { ZipLister } from './zip-lister';

@Module({
  imports: [AccessModule, AuditModule, ProjectsModule, ScanningModule, StorageModule, TicketsModule],
  controllers: [DepositsController],
  providers: [
    DepositsRepository,
    DepositsService,
    DepositScanning,
    {
      provide: ARCHIVE_INSPECTOR,
      inject: [RUNTIME_CONFIG],
      useFactory: (config: RuntimeConfig) =>
        new ArchiveInspector([new ZipLister(), new TarLister(), new SevenZipLister(findSevenZip(config.deposits.sevenZipPath))]),
    },
  ],
  exports: [DepositsRepository, DepositScanning],
})
export class DepositsModule {}
