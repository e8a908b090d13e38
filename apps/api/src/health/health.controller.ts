import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Health } from '@guichet/contracts';
import type { Response } from 'express';
import { Database } from '../database/database';
import { Public } from '../access/route-access';
import { APP_VERSION } from '../version';

@ApiTags('health')
@Controller('healthz')
export class HealthController {
  constructor(private readonly db: Database) {}

  /** Liveness and database check, for load balancers and orchestrators. */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) res: Response): Promise<Health> {
    let database: Health['database'] = 'up';
    try {
      await Promise.race([this.db.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
    } catch {
      database = 'down';
    }
    res.status(database === 'up' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return { status: database === 'up' ? 'ok' : 'error', database, version: APP_VERSION };
  }
}
