import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuditEvent, Page } from '@guichet/contracts';
import type { Response } from 'express';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';
import { toCsvRow } from './csv';

const CSV_COLUMNS = ['id', 'at', 'actorEmail', 'actorId', 'action', 'outcome', 'objectType', 'objectId', 'ip', 'userAgent', 'details'] as const;

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly service: AuditService) {}

  @Get()
  @Authenticated({ rights: ['audit.read'] })
  list(@Ctx() ctx: AuthenticatedContext, @Query() q: AuditQueryDto): Promise<Page<AuditEvent>> {
    return this.service.list(ctx, q);
  }

  /** Streams every matching event, oldest first, as UTF-8 CSV with a BOM (Excel opens it as UTF-8). */
  @Get('export.csv')
  @Authenticated({ rights: ['audit.read'] })
  @ApiProduces('text/csv')
  async exportCsv(@Ctx() ctx: AuthenticatedContext, @Query() q: AuditQueryDto, @Res() res: Response): Promise<void> {
    await this.service.record(ctx, { action: 'audit.exported', details: { filters: { ...q, cursor: undefined, limit: undefined } } });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.write('\uFEFF' + toCsvRow([...CSV_COLUMNS]));
    for await (const batch of this.service.scan(q)) {
      const chunk = batch.map((e) => toCsvRow(CSV_COLUMNS.map((c) => (c === 'details' ? JSON.stringify(e.details) : e[c])))).join('');
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }
}
