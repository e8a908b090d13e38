import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsObject, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { BULK_CAP, type BulkComment, type BulkTicketRequest, type CommentVisibility } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';
import { TicketQueryDto, UpdateTicketDto } from '../tickets/ticket-port';

export class BulkCommentDto implements BulkComment {
  @ApiProperty({ maxLength: 100000, description: 'Markdown' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100000)
  body!: string;

  @ApiProperty({ enum: ['public', 'internal'] })
  @IsIn(['public', 'internal'])
  visibility!: CommentVisibility;
}

/** The selection (`keys` or `filter`) and one action (`update`, `status`, `watcherId` or `comment`); the service checks there is one of each. */
export class BulkTicketDto implements BulkTicketRequest {
  @ApiPropertyOptional({ type: [String], maxItems: BULK_CAP, example: ['HWEB-12', 'HWEB-15'] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(BULK_CAP)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  keys?: string[];

  @ApiPropertyOptional({ type: TicketQueryDto, description: `Every visible ticket matching this list filter, in its order, at most ${BULK_CAP}` })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => TicketQueryDto)
  filter?: TicketQueryDto;

  @ApiPropertyOptional({ type: UpdateTicketDto, description: 'The same change as PATCH /api/tickets/{key}, made on each ticket' })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateTicketDto)
  update?: UpdateTicketDto;

  @ApiPropertyOptional({ example: 'in_progress', description: 'Moves each ticket to this status, where its kind and current status allow it' })
  @OptionalNotNull()
  @IsString()
  @Matches(/^[a-z_]{2,40}$/, { message: 'status must be a status name' })
  status?: string;

  @ApiPropertyOptional({ maxLength: 20000, description: 'With status: the resolution text a move to a resolved status needs, on each ticket' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(20000)
  resolution?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Adds this account as a watcher of each ticket' })
  @OptionalNotNull()
  @IsUUID()
  watcherId?: string;

  @ApiPropertyOptional({ type: BulkCommentDto, description: 'The same public reply or internal note on each ticket' })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => BulkCommentDto)
  comment?: BulkCommentDto;
}
