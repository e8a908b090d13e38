import { Body, Controller, Get, Param, type PipeTransform, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { REPORT_FILES, type ReportContent, type ReportFile, type ReportRecipient, type ReportRecord } from '@guichet/contracts';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { contentDisposition } from '../attachments/file-name';
import { UuidParam } from '../common/dto/common.dto';
import { NotFoundError } from '../common/errors';
import { ReportMonthQueryDto, ReportRecipientsDto, ReportRequestDto } from './reports.dto';
import { type ReportDownload, ReportsService } from './reports.service';

/** A file name in a path that is not one of the report's files names nothing: 404. */
class ReportFileParam implements PipeTransform<string, ReportFile> {
  transform(value: string): ReportFile {
    if (!(REPORT_FILES as readonly string[]).includes(value)) throw new NotFoundError('report file', String(value).slice(0, 20));
    return value as ReportFile;
  }
}

const NOT_FOUND = 'Unknown, or the caller may not read its reports (statistics right and every ticket of it).';

async function send(res: Response, file: ReportDownload): Promise<void> {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  res.setHeader('Content-Disposition', contentDisposition(file.filename));
  res.setHeader('Cache-Control', 'no-store');
  await pipeline(file.content, res);
}

/** The monthly activity reports of a project (R9.2, ADR 0053). */
@ApiTags('reports')
@Controller('api/projects/:key/reports')
export class ProjectReportsController {
  constructor(private readonly service: ReportsService) {}

  /** The reports generated for the project, newest first: on demand and sent by the job of the first of the month. */
  @Get()
  @Authenticated({ rights: ['stats.read'] })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  history(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<ReportRecord[]> {
    return this.service.history(ctx, 'project', key);
  }

  /** Generates the report of a month now (PDF, xlsx and ods), in the caller's language or the one asked. */
  @Post()
  @Authenticated({ rights: ['stats.read'] })
  @ApiCreatedResponse({ description: 'The generated report with its download links' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  generate(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: ReportRequestDto): Promise<ReportRecord> {
    return this.service.generateOnDemand(ctx, 'project', key, body.month, body.locale);
  }

  /** The data a month's report is built from (canonical, codes rather than words) and its SHA-256, without storing anything. */
  @Get('content')
  @Authenticated({ rights: ['stats.read'] })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  content(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Query() q: ReportMonthQueryDto): Promise<ReportContent> {
    return this.service.content(ctx, 'project', key, q.month);
  }

  @Get('recipients')
  @Authenticated({ rights: ['stats.read'] })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  recipients(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<ReportRecipient[]> {
    return this.service.recipients(ctx, 'project', key);
  }

  /** Who receives the report each month; set by those who manage the project's access, among those who may read it. */
  @Put('recipients')
  @Authenticated({ rights: ['stats.read'] })
  @ApiOkResponse({ description: 'The recipients now' })
  setRecipients(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: ReportRecipientsDto): Promise<ReportRecipient[]> {
    return this.service.setRecipients(ctx, 'project', key, body.accountIds);
  }

  @Get(':id/:file')
  @Authenticated({ rights: ['stats.read'] })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet')
  @ApiOkResponse({ description: 'The file (pdf, xlsx or ods)' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async download(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('id', new UuidParam('report')) id: string,
    @Param('file', new ReportFileParam()) file: ReportFile,
    @Res() res: Response,
  ): Promise<void> {
    await send(res, await this.service.download(ctx, 'project', key, id, file));
  }
}

/** The monthly activity reports of a space: every project of it together. */
@ApiTags('reports')
@Controller('api/spaces/:id/reports')
export class SpaceReportsController {
  constructor(private readonly service: ReportsService) {}

  @Get()
  @Authenticated({ rights: ['stats.read'] })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  history(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string): Promise<ReportRecord[]> {
    return this.service.history(ctx, 'space', id);
  }

  @Post()
  @Authenticated({ rights: ['stats.read'] })
  @ApiCreatedResponse({ description: 'The generated report with its download links' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  generate(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string, @Body() body: ReportRequestDto): Promise<ReportRecord> {
    return this.service.generateOnDemand(ctx, 'space', id, body.month, body.locale);
  }

  @Get('content')
  @Authenticated({ rights: ['stats.read'] })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  content(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string, @Query() q: ReportMonthQueryDto): Promise<ReportContent> {
    return this.service.content(ctx, 'space', id, q.month);
  }

  @Get('recipients')
  @Authenticated({ rights: ['stats.read'] })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  recipients(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('space')) id: string): Promise<ReportRecipient[]> {
    return this.service.recipients(ctx, 'space', id);
  }

  @Put('recipients')
  @Authenticated({ rights: ['stats.read'] })
  @ApiOkResponse({ description: 'The recipients now' })
  setRecipients(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('space')) id: string,
    @Body() body: ReportRecipientsDto,
  ): Promise<ReportRecipient[]> {
    return this.service.setRecipients(ctx, 'space', id, body.accountIds);
  }

  @Get(':reportId/:file')
  @Authenticated({ rights: ['stats.read'] })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet')
  @ApiOkResponse({ description: 'The file (pdf, xlsx or ods)' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async download(
    @Ctx() ctx: AuthenticatedContext,
    @Param('id', new UuidParam('space')) id: string,
    @Param('reportId', new UuidParam('report')) reportId: string,
    @Param('file', new ReportFileParam()) file: ReportFile,
    @Res() res: Response,
  ): Promise<void> {
    await send(res, await this.service.download(ctx, 'space', id, reportId, file));
  }
}
