import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  ENVIRONMENTS,
  LEVELS,
  LINK_TYPES,
  TICKET_KINDS,
  TICKET_SORTS,
  type CreateCommentRequest,
  type CreateLinkRequest,
  type CreateTicketRequest,
  type CreateTimeEntryRequest,
  type Environment,
  type Level,
  type LinkType,
  type MarkdownPreviewRequest,
  type Priority,
  type TicketKind,
  type TicketQuery,
  type TicketSort,
  type TransitionRequest,
  type UpdateCommentRequest,
  type UpdateTicketRequest,
} from '@guichet/contracts';

const TICKET_KEY = /^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,9}$/;
/** Query lists come as repeated parameters or comma-separated values. */
const list = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateTicketDto implements CreateTicketRequest {
  @ApiProperty({ example: 'HWEB' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'projectKey must be a project key such as HWEB' })
  projectKey!: string;

  @ApiProperty({ enum: TICKET_KINDS })
  @IsIn(TICKET_KINDS)
  kind!: TicketKind;

  @ApiProperty({ maxLength: 300, example: 'Le site ne répond plus' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @ApiPropertyOptional({ maxLength: 100000, description: 'Markdown' })
  @IsOptional()
  @IsString()
  @MaxLength(100000)
  description?: string;

  @ApiPropertyOptional({ example: 'assistance' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  typology?: string;

  @ApiPropertyOptional({ enum: LEVELS, description: '1 = highest' })
  @IsOptional()
  @IsIn(LEVELS)
  urgency?: Level;

  @ApiPropertyOptional({ enum: LEVELS, description: '1 = highest' })
  @IsOptional()
  @IsIn(LEVELS)
  impact?: Level;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  requesterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  watcherIds?: string[];

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  plannedStart?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  plannedEnd?: string;

  @ApiPropertyOptional({ enum: ENVIRONMENTS })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: Environment;
}

export class UpdateTicketDto implements UpdateTicketRequest {
  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ maxLength: 100000 })
  @IsOptional()
  @IsString()
  @MaxLength(100000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  typology?: string;

  @ApiPropertyOptional({ enum: LEVELS })
  @IsOptional()
  @IsIn(LEVELS)
  urgency?: Level;

  @ApiPropertyOptional({ enum: LEVELS })
  @IsOptional()
  @IsIn(LEVELS)
  impact?: Level;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601()
  plannedStart?: string | null;

  @ApiPropertyOptional({ format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601()
  plannedEnd?: string | null;

  @ApiPropertyOptional({ enum: ENVIRONMENTS, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(ENVIRONMENTS)
  environment?: Environment | null;
}

export class TransitionDto implements TransitionRequest {
  @ApiProperty({ example: 'in_progress' })
  @IsString()
  @Matches(/^[a-z_]{2,40}$/, { message: 'status must be a status name' })
  status!: string;

  @ApiPropertyOptional({ maxLength: 100000 })
  @IsOptional()
  @IsString()
  @MaxLength(100000)
  comment?: string;
}

export class CreateCommentDto implements CreateCommentRequest {
  @ApiProperty({ maxLength: 100000, description: 'Markdown' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100000)
  body!: string;

  @ApiPropertyOptional({ enum: ['public', 'internal'], default: 'public' })
  @IsOptional()
  @IsIn(['public', 'internal'])
  visibility?: 'public' | 'internal';
}

export class UpdateCommentDto implements UpdateCommentRequest {
  @ApiProperty({ maxLength: 100000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100000)
  body!: string;
}

export class MarkdownPreviewDto implements MarkdownPreviewRequest {
  @ApiProperty({ maxLength: 100000, description: 'Markdown' })
  @IsString()
  @MaxLength(100000)
  text!: string;
}

export class CreateLinkDto implements CreateLinkRequest {
  @ApiProperty({ enum: LINK_TYPES })
  @IsIn(LINK_TYPES)
  type!: LinkType;

  @ApiProperty({ example: 'HWEB-12' })
  @IsString()
  @Matches(TICKET_KEY, { message: 'targetKey must be a ticket key such as HWEB-12' })
  targetKey!: string;
}

export class CreateTimeEntryDto implements CreateTimeEntryRequest {
  @ApiProperty({ minimum: 1, maximum: 1440 })
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes!: number;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-22' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'spentOn must be a date YYYY-MM-DD' })
  spentOn?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class TicketQueryDto implements TicketQuery {
  @ApiPropertyOptional({ type: [String], description: 'Project keys' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { each: true, message: 'project must be project keys' })
  project?: string[];

  @ApiPropertyOptional({ enum: TICKET_KINDS, isArray: true })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsIn(TICKET_KINDS, { each: true })
  kind?: TicketKind[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z_]{2,40}$/, { each: true })
  status?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'An account id, `me` or `none`' })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-fA-F-]{36})$/, { message: 'assignee must be an account id, me or none' })
  assignee?: string;

  @ApiPropertyOptional({ description: 'An account id or `me`' })
  @IsOptional()
  @Matches(/^(me|[0-9a-fA-F-]{36})$/, { message: 'requester must be an account id or me' })
  requester?: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @Transform(({ value }) => list({ value })?.map(Number))
  @IsArray()
  @IsIn([1, 2, 3, 4], { each: true })
  priority?: Priority[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { each: true })
  typology?: string[];

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  createdTo?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  updatedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  updatedTo?: string;

  @ApiPropertyOptional({ description: 'Full-text search (French and English)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Tickets I requested, am assigned or watch' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ enum: TICKET_SORTS, default: '-updated' })
  @IsOptional()
  @IsIn(TICKET_SORTS)
  sort?: TicketSort;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
