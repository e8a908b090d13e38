import { Global, Module } from '@nestjs/common';
import { JobJanitor } from './job-janitor';
import { JobQueue } from './job-queue';
import { JobWorker } from './job-worker';

@Global()
@Module({ providers: [JobQueue, JobWorker, JobJanitor], exports: [JobQueue, JobWorker, JobJanitor] })
export class JobsModule {}
