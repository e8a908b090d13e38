import { Controller, Delete, Get, Header, HttpCode, Param, type PipeTransform, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { ArchiveListing, Deposit, DepositDetail } from '@guichet/contracts';
import type { Request } from 'express';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { contentDisposition } from '../attachments/file-name';
import { UuidParam } from '../common/dto/common.dto';
import { NotFoundError } from '../common/errors';
import { DepositsService } from './deposits.service';

/** A version number in a path: 1, 2, ...; anything else names no version. */
class VersionParam implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    // The global validation pipe may have converted it already (the handler's parameter is a number).
    const text = String(value);
    if (!/^[1-9][0-9]{0,8}$/.test(text)) throw new NotFoundError('deposit version', text.slice(0, 20));
    return Number(text);
  }
}

const FILE_BODY = {
  file: {
    type: 'string',
    format: 'binary',
    description: 'The file (size limit: DEPOSIT_MAX_BYTES, 2 GB by default). Archives (zip, tar, tar.gz, 7z) are listed.',
  },
  note: { type: 'string', maxLength: 2000, description: 'What this version changes.' },
};

@ApiTags('deposits')
@Controller('api/projects/:key/deposits')
export class DepositsController {
  constructor(private readonly service: DepositsService) {}

  @Get()
  @Authenticated()
  @ApiNotFoundResponse({ description: 'No such project, or not visible to the caller.' })
  list(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<Deposit[]> {
    return this.service.list(ctx, key);
  }

  // The body is read as a stream by the service, never by a body parser or the validation pipe.
  @Post()
  @Authenticated()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['title', 'category', 'environment', 'file'],
      properties: {
        title: { type: 'string', maxLength: 200 },
        description: { type: 'string', maxLength: 5000 },
        category: { type: 'string', enum: ['installation_documents', 'evolution', 'script', 'program', 'other'] },
        environment: { type: 'string', enum: ['preproduction', 'production'] },
        ticket: { type: 'string', description: 'Key of a change or deployment ticket of the project, which the deposit serves.' },
        ...FILE_BODY,
      },
    },
  })
  @ApiCreatedResponse({ description: 'The deposit and its first version, with SHA-256 and archive findings.' })
  @ApiPayloadTooLargeResponse({ description: 'The file is over the size limit; nothing is kept.' })
  create(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Req() req: Request): Promise<DepositDetail> {
    return this.service.create(ctx, key, req);
  }

  @Get(':id')
  @Authenticated()
  @ApiNotFoundResponse({ description: 'No such deposit in this project, or not visible to the caller.' })
  get(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('id', new UuidParam('deposit')) id: string): Promise<DepositDetail> {
    return this.service.get(ctx, key, id);
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(204)
  @ApiForbiddenResponse({ description: 'The caller sees the deposit but has not the right deposits.manage.' })
  delete(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('id', new UuidParam('deposit')) id: string): Promise<void> {
    return this.service.delete(ctx, key, id);
  }

  @Post(':id/versions')
  @Authenticated()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: FILE_BODY } })
  @ApiCreatedResponse({ description: 'The deposit with its new version.' })
  @ApiPayloadTooLargeResponse({ description: 'The file is over the size limit; nothing is kept.' })
  addVersion(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('id', new UuidParam('deposit')) id: string,
    @Req() req: Request,
  ): Promise<DepositDetail> {
    return this.service.addVersion(ctx, key, id, req);
  }

  @Get(':id/versions/:number/contents')
  @Authenticated()
  @ApiOkResponse({
    description: 'The entries of the archive and the findings (traversal, links, duplicates, encryption, bombs, damage); null for a plain file.',
  })
  contents(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('id', new UuidParam('deposit')) id: string,
    @Param('number', new VersionParam()) number: number,
  ): Promise<ArchiveListing | null> {
    return this.service.contents(ctx, key, id, number);
  }

  @Get(':id/versions/:number/file')
  @Authenticated()
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, always as a download.', schema: { type: 'string', format: 'binary' } })
  @ApiConflictResponse({ description: 'The file is infected or waiting for its antivirus scan.' })
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  async file(
    @Ctx() ctx: AuthenticatedContext,
    @Param('key') key: string,
    @Param('id', new UuidParam('deposit')) id: string,
    @Param('number', new VersionParam()) number: number,
  ): Promise<StreamableFile> {
    const file = await this.service.download(ctx, key, id, number);
    return new StreamableFile(file.stream, { type: 'application/octet-stream', disposition: contentDisposition(file.filename), length: file.size });
  }
}
