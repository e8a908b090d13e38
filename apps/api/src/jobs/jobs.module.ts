import { Module } from '@nestjs/common';
import { JobJanitor } from './job-janitor';
import { JobQueue } from './job-queue';
import { JobWakeups } from './job-wakeups';
import { JobWorker } from './job-worker';

@Module({ providers: [JobQueue, JobWakeups, JobWorker, JobJanitor], exports: [JobQueue, JobWorker, JobJanitor] })
export class JobsModule {}
