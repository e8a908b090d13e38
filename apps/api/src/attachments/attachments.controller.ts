import { Controller, Delete, Get, Header, HttpCode, Param, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { AttachmentInfo } from '@guichet/contracts';
import type { Request } from 'express';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import { AttachmentsService } from './attachments.service';
import { contentDisposition } from './file-name';

@ApiTags('attachments')
@Controller()
export class AttachmentsController {
  constructor(private readonly service: AttachmentsService) {}

  @Get('api/tickets/:key/attachments')
  @Authenticated()
  list(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<AttachmentInfo[]> {
    return this.service.list(ctx, key);
  }

  // The body is read as a stream by the service, never by a body parser or the validation pipe.
  @Post('api/tickets/:key/attachments')
  @Authenticated()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: 'One or more files (field repeated); size limit per file: ATTACHMENT_MAX_BYTES.',
        },
        commentId: { type: 'string', format: 'uuid', description: 'Attach to this reply of the ticket; the documents of an internal note are internal.' },
      },
    },
  })
  @ApiCreatedResponse({ description: 'The attachments created, with their detected type, size and SHA-256.' })
  @ApiPayloadTooLargeResponse({ description: 'A file is over the size limit; nothing is kept.' })
  upload(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Req() req: Request): Promise<AttachmentInfo[]> {
    return this.service.upload(ctx, key, req);
  }

  @Get('api/attachments/:id/content')
  @Authenticated()
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, always as a download.', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'No such attachment, or not visible to the caller.' })
  @ApiConflictResponse({ description: 'FILE_SCAN_PENDING: the antivirus has not checked the file yet; FILE_UNSCANNABLE: the antivirus refused it.' })
  @ApiGoneResponse({ description: 'FILE_QUARANTINED: the antivirus found the file infected; it is never served.' })
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  async content(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('attachment')) id: string): Promise<StreamableFile> {
    const file = await this.service.download(ctx, id);
    return new StreamableFile(file.stream, { type: file.contentType, disposition: contentDisposition(file.filename), length: file.size });
  }

  /** Only quarantined attachments (infected, or refused by the antivirus) are deleted, by an administrator. */
  @Delete('api/attachments/:id')
  @Authenticated({ rights: ['spaces.manage'] })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The quarantined attachment and its content are deleted (audited).' })
  @ApiNotFoundResponse({ description: 'No such attachment, or not visible to the caller.' })
  @ApiConflictResponse({ description: 'The attachment is not quarantined.' })
  async remove(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('attachment')) id: string): Promise<void> {
    await this.service.deleteQuarantined(ctx, id);
  }
}
