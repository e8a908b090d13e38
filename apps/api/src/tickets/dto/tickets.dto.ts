import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ASSISTED_SOURCES,
  ENVIRONMENTS,
  LEVELS,
  LINK_TYPES,
  PROJECT_KEY_PATTERN,
  TICKET_KEY_PATTERN,
  TICKET_KINDS,
  TICKET_SORTS,
  SLA_FILTERS,
  type SlaFilter,
  type AssistedSource,
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
import { PageQueryDto } from '../../common/dto/page-query';
import { OptionalNotNull, OptionalNullable } from '../../common/dto/presence';
import { queryFlag, queryList } from '../../common/dto/query-values';

export class CreateTicketDto implements CreateTicketRequest {
  @ApiProperty({ example: 'HWEB' })
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'projectKey must be a project key such as HWEB' })
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
  @OptionalNotNull()
  @IsString()
  @MaxLength(100000)
  description?: string;

  @ApiPropertyOptional({ example: 'assistance', maxLength: 40 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(40)
  typology?: string;

  @ApiPropertyOptional({ enum: LEVELS, description: '1 = highest' })
  @OptionalNotNull()
  @IsIn(LEVELS)
  urgency?: Level;

  @ApiPropertyOptional({ enum: LEVELS, description: '1 = highest' })
  @OptionalNotNull()
  @IsIn(LEVELS)
  impact?: Level;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  requesterId?: string;

  @ApiPropertyOptional({ enum: ASSISTED_SOURCES, description: 'How the request reached the support team (support team only)' })
  @OptionalNotNull()
  @IsIn(ASSISTED_SOURCES)
  source?: AssistedSource;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  watcherIds?: string[];

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  plannedStart?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  plannedEnd?: string;

  @ApiPropertyOptional({ enum: ENVIRONMENTS })
  @OptionalNotNull()
  @IsIn(ENVIRONMENTS)
  environment?: Environment;
}

export class UpdateTicketDto implements UpdateTicketRequest {
  @ApiPropertyOptional({ maxLength: 300 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ maxLength: 100000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(100000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 40 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(40)
  typology?: string;

  @ApiPropertyOptional({ enum: LEVELS })
  @OptionalNotNull()
  @IsIn(LEVELS)
  urgency?: Level;

  @ApiPropertyOptional({ enum: LEVELS })
  @OptionalNotNull()
  @IsIn(LEVELS)
  impact?: Level;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @OptionalNullable()
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'A support group of the ticket’s space' })
  @OptionalNullable()
  @IsUUID()
  groupId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @OptionalNullable()
  @IsISO8601()
  plannedStart?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @OptionalNullable()
  @IsISO8601()
  plannedEnd?: string | null;

  @ApiPropertyOptional({ enum: ENVIRONMENTS })
  @OptionalNullable()
  @IsIn(ENVIRONMENTS)
  environment?: Environment | null;
}

/** A search of the assignee picker, by name or address. */
export class AssigneesQueryDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class TransitionDto implements TransitionRequest {
  @ApiProperty({ example: 'in_progress' })
  @IsString()
  @Matches(/^[a-z_]{2,40}$/, { message: 'status must be a status name' })
  status!: string;

  @ApiPropertyOptional({ maxLength: 100000 })
  @OptionalNotNull()
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
  @OptionalNotNull()
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
  @Matches(TICKET_KEY_PATTERN, { message: 'targetKey must be a ticket key such as HWEB-12' })
  targetKey!: string;
}

export class CreateTimeEntryDto implements CreateTimeEntryRequest {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1440 })
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes!: number;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-22' })
  @OptionalNotNull()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'spentOn must be a date YYYY-MM-DD' })
  spentOn?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class TicketQueryDto extends PageQueryDto() implements TicketQuery {
  @ApiPropertyOptional({ type: [String], description: 'Project keys' })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PROJECT_KEY_PATTERN, { each: true, message: 'project must be project keys' })
  project?: string[];

  @ApiPropertyOptional({ enum: TICKET_KINDS, isArray: true })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @IsIn(TICKET_KINDS, { each: true })
  kind?: TicketKind[];

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z_]{2,40}$/, { each: true })
  status?: string[];

  @ApiPropertyOptional()
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'An account id, `me` or `none`' })
  @OptionalNotNull()
  @Matches(/^(me|none|[0-9a-fA-F-]{36})$/, { message: 'assignee must be an account id, me or none' })
  assignee?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A support group id' })
  @OptionalNotNull()
  @IsUUID()
  group?: string;

  @ApiPropertyOptional({ description: 'An account id or `me`' })
  @OptionalNotNull()
  @Matches(/^(me|[0-9a-fA-F-]{36})$/, { message: 'requester must be an account id or me' })
  requester?: string;

  @ApiPropertyOptional({ type: [Number] })
  @OptionalNotNull()
  @Transform(({ value }) => queryList({ value })?.map(Number))
  @IsArray()
  @IsIn([1, 2, 3, 4], { each: true })
  priority?: Priority[];

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { each: true })
  typology?: string[];

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  createdTo?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  updatedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  updatedTo?: string;

  @ApiPropertyOptional({ description: 'Full-text search (French and English)', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Tickets I requested, am assigned or watch' })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ description: "The last public reply came from the requester's side (true), or from the support team (false)" })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  answered?: boolean;

  @ApiPropertyOptional({ enum: SLA_FILTERS, description: 'A service-level clock breached, or a counting clock past its first alert threshold' })
  @OptionalNotNull()
  @IsIn(SLA_FILTERS)
  sla?: SlaFilter;

  @ApiPropertyOptional({ enum: TICKET_SORTS, default: '-updated', description: '`due`: the earliest service-level deadline first (tickets with one only)' })
  @OptionalNotNull()
  @IsIn(TICKET_SORTS)
  sort?: TicketSort;
}

/** GET /api/projects/:key/requesters: who the support team may open a ticket for. */
export class RequesterSearchDto {
  @ApiProperty({ minLength: 2, maxLength: 200, description: 'Part of a name or an email address' })
  @IsString()
  @MinLength(2, { message: 'q must have at least 2 characters' })
  @MaxLength(200)
  q!: string;
}
