import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ExportJob } from '@guichet/contracts';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { ExportRequestDto, StatisticsExportQueryDto } from './exports.dto';
import { ExportsService } from './exports.service';

const attachment = (filename: string) => `attachment; filename="${filename}"`;

@ApiTags('exports')
@Controller('api/exports')
export class ExportsController {
  constructor(private readonly service: ExportsService) {}

  /**
   * Exports a ticket list with its filters and sort: up to the direct limit (10,000 rows by
   * default) the file is the answer (200); beyond, or with `background`, a job starts (202) whose
   * progress GET /api/exports/{id} gives, then its download link.
   */
  @Post()
  @Authenticated({ rights: ['stats.export'] })
  @ApiProduces(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.oasis.opendocument.spreadsheet',
    'text/csv',
    'application/json',
  )
  @ApiOkResponse({ description: 'The file, written as it is read' })
  @ApiAcceptedResponse({ description: 'A background export (ExportJob)' })
  async create(@Ctx() ctx: AuthenticatedContext, @Body() body: ExportRequestDto, @Res() res: Response): Promise<void> {
    const started = await this.service.start(ctx, body);
    if (started.kind === 'job') {
      res.status(202).location(`/api/exports/${started.job.id}`).json(started.job);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', started.contentType);
    res.setHeader('Content-Disposition', attachment(started.filename));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await started.write(res);
    } catch (err) {
      // Once bytes are out, the only honest answer left is a cut connection.
      if (res.headersSent) res.destroy(err as Error);
      else throw err;
    }
  }

  /** Every table of the statistics dashboard (GET /api/stats with the same query), one sheet each; the file is the answer. */
  @Get('statistics')
  @Authenticated({ rights: ['stats.read', 'stats.export'] })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet', 'text/csv')
  @ApiOkResponse({ description: 'The file' })
  async statistics(@Ctx() ctx: AuthenticatedContext, @Query() query: StatisticsExportQueryDto, @Res() res: Response): Promise<void> {
    const file = await this.service.statistics(ctx, query);
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', attachment(file.filename));
    res.setHeader('Cache-Control', 'no-store');
    await file.write(res);
  }

  @Get(':id')
  @Authenticated({ rights: ['stats.export'] })
  get(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('export')) id: string): Promise<ExportJob> {
    return this.service.get(ctx, id);
  }

  /** The file of a ready export, for the account that asked only (another: 404), until it expires (410). */
  @Get(':id/file')
  @Authenticated({ rights: ['stats.export'] })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet', 'text/csv')
  async download(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('export')) id: string, @Res() res: Response): Promise<void> {
    const file = await this.service.download(ctx, id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Content-Disposition', attachment(file.filename));
    res.setHeader('Cache-Control', 'no-store');
    await pipeline(file.content, res);
  }
}
