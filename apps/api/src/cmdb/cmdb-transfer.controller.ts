import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CMDB_IMPORT_MAX_BYTES, CMDB_IMPORT_MAX_ROWS, type CmdbImportReport } from '@guichet/contracts';
import type { Request, Response } from 'express';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { readMultipart } from '../attachments/multipart-upload';
import { CmdbExportQueryDto, CmdbImportQueryDto } from './cmdb.dto';
import { CmdbExportService } from './cmdb-export.service';
import { CmdbImportService, type ImportFile } from './cmdb-import.service';

/** Import and export of items and relations (docs/cmdb.md, ADR 0047). */
@ApiTags('cmdb')
@Controller('api/cmdb')
export class CmdbTransferController {
  constructor(
    private readonly imports: CmdbImportService,
    private readonly exports: CmdbExportService,
  ) {}

  /**
   * Imports items and relations into a project from one or two files: a workbook (.xlsx) with an
   * items and a relations sheet, or CSV files of items and of relations. With `dryRun=true`, every
   * line is checked and the report lists every error, and nothing is written; a real run writes
   * everything in one transaction, or nothing (400 listing the errors).
   */
  @Post('import')
  @Authenticated({ rights: ['cmdb.manage'] })
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: `One or two files (field repeated), CSV or .xlsx, ${CMDB_IMPORT_MAX_BYTES / 1024 / 1024} MB and ${CMDB_IMPORT_MAX_ROWS} lines at most in all.`,
        },
      },
    },
  })
  @ApiOkResponse({ description: 'The report (CmdbImportReport): what was (or, in a dry run, would be) created, updated, left; every error.' })
  @ApiBadRequestResponse({ description: 'Not a readable CSV or .xlsx file; or a real run whose lines have errors (each in the details): nothing written.' })
  @ApiPayloadTooLargeResponse({ description: 'A file over the size limit, or more lines than the limit.' })
  @ApiForbiddenResponse({ description: 'The caller may not change the items of this project.' })
  @ApiNotFoundResponse({ description: 'No such project, or one the caller does not see.' })
  async import(@Ctx() ctx: AuthenticatedContext, @Query() q: CmdbImportQueryDto, @Req() req: Request): Promise<CmdbImportReport> {
    // The body is read once the project is known to be the caller's to change.
    const read = async () => {
      const files: ImportFile[] = [];
      await readMultipart(req, { fileField: 'file', textFields: [], maxFiles: 2, maxFileBytes: CMDB_IMPORT_MAX_BYTES }, async (f) => {
        const chunks: Buffer[] = [];
        for await (const chunk of f.stream) chunks.push(chunk as Buffer);
        files.push({ name: (f.filename ?? 'file').slice(0, 200), content: Buffer.concat(chunks) });
      });
      return files;
    };
    return this.imports.import(ctx, q.project, read, q.dryRun === true);
  }

  /** The items the caller sees (the CI list's filters) and their relations, in the columns the import reads. */
  @Get('export')
  @Authenticated()
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiOkResponse({ description: 'The file' })
  async export(@Ctx() ctx: AuthenticatedContext, @Query() q: CmdbExportQueryDto, @Res() res: Response): Promise<void> {
    const file = await this.exports.export(ctx, q);
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await file.write(res);
    } catch (err) {
      if (res.headersSent) res.destroy(err as Error);
      else throw err;
    }
  }
}
