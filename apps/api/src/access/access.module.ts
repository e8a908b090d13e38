import { Module } from '@nestjs/common';
import { AccessPolicy } from './access-policy';

@Module({ providers: [AccessPolicy], exports: [AccessPolicy] })
export class AccessModule {}
