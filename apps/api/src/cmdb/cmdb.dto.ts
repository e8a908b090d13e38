import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  CMDB_EXPIRY_DEFAULT_DAYS,
  CMDB_EXPORT_FORMATS,
  CMDB_EXPORT_TABLES,
  CMDB_EXPIRY_MAX_DAYS,
  CMDB_IMPACT_DIRECTIONS,
  CMDB_IMPACT_MAX_DEPTH,
  CMDB_ITEM_STATUSES,
  CMDB_RELATION_KINDS,
  PROJECT_KEY_PATTERN,
  TICKET_KEY_PATTERN,
  type CmdbAttributeDefinition,
  type CmdbAttributes,
  type CmdbExportFormat,
  type CmdbExportTable,
  type CmdbImpactDirection,
  type CmdbItemQuery,
  type CmdbItemStatus,
  type CmdbRelationKind,
  type CreateCmdbItemRequest,
  type CreateCmdbRelationRequest,
  type CreateCmdbTypeRequest,
  type LinkItemTicketRequest,
  type LinkTicketItemRequest,
  type UpdateCmdbItemRequest,
  type UpdateCmdbTypeRequest,
} from '@guichet/contracts';
import { OptionalNotNull, OptionalNullable } from '../common/dto/presence';
import { queryFlag, queryList } from '../common/dto/query-values';

const TYPE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

const ATTRIBUTES_DOC = {
  description:
    'The attribute schema: [{ key, labelFr, labelEn, kind (text, number, date, enum, boolean, url, ip, reference), required, values (enum), refTypes (reference) }]',
  type: 'array',
  items: { type: 'object' },
} as const;

export class CreateCmdbTypeDto implements CreateCmdbTypeRequest {
  @ApiProperty({ example: 'load_balancer', description: 'A lower-case letter then lower-case letters, digits or _ (2 to 40)' })
  @IsString()
  @Matches(TYPE_CODE, { message: 'code must be a lower-case letter then lower-case letters, digits or _ (2 to 40)' })
  code!: string;

  @ApiProperty({ example: 'Répartiteur de charge', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameFr!: string;

  @ApiProperty({ example: 'Load balancer', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn!: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional(ATTRIBUTES_DOC)
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  attributes?: CmdbAttributeDefinition[];
}

export class UpdateCmdbTypeDto implements UpdateCmdbTypeRequest {
  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameFr?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional(ATTRIBUTES_DOC)
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  attributes?: CmdbAttributeDefinition[];
}

export class CmdbItemQueryDto implements CmdbItemQuery {
  @ApiPropertyOptional({ description: 'Words in the name', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ type: [String], description: 'Type codes' })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(TYPE_CODE, { each: true, message: 'type must be type codes' })
  type?: string[];

  @ApiPropertyOptional({ enum: CMDB_ITEM_STATUSES, isArray: true })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @IsIn(CMDB_ITEM_STATUSES, { each: true })
  status?: CmdbItemStatus[];

  @ApiPropertyOptional({ type: [String], description: 'Project keys' })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PROJECT_KEY_PATTERN, { each: true, message: 'project must be project keys' })
  project?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Tags the items all carry' })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(50, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Attribute values, `key:value`, repeatable (not split on commas)' })
  @OptionalNotNull()
  @Transform(({ value }: { value: unknown }) => (value === undefined ? undefined : Array.isArray(value) ? value.map(String) : [String(value)]))
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z][a-z0-9_]{0,39}:.{0,200}$/s, { each: true, message: 'attr must be key:value' })
  attr?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100000, default: 0 })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100000)
  offset?: number;
}

export class CreateCmdbItemDto implements CreateCmdbItemRequest {
  @ApiProperty({ example: 'HWEB', description: 'The project’s key' })
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'project must be a project key such as HWEB' })
  project!: string;

  @ApiProperty({ example: 'server', description: 'The type’s code' })
  @IsString()
  @Matches(TYPE_CODE, { message: 'type must be a type code' })
  type!: string;

  @ApiProperty({ example: 'srv-web-01', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ enum: CMDB_ITEM_STATUSES, default: 'production' })
  @OptionalNotNull()
  @IsIn(CMDB_ITEM_STATUSES)
  status?: CmdbItemStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @OptionalNullable()
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Values by attribute key (see the type’s schema)' })
  @OptionalNotNull()
  @IsObject()
  attributes?: CmdbAttributes;

  @ApiPropertyOptional({ description: 'Shared by the provider (agents of the space only)' })
  @OptionalNotNull()
  @IsBoolean()
  shared?: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 200 })
  @OptionalNullable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId?: string | null;
}

export class UpdateCmdbItemDto implements UpdateCmdbItemRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ enum: CMDB_ITEM_STATUSES })
  @OptionalNotNull()
  @IsIn(CMDB_ITEM_STATUSES)
  status?: CmdbItemStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @OptionalNullable()
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The whole set of values (replaces the stored one)' })
  @OptionalNotNull()
  @IsObject()
  attributes?: CmdbAttributes;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  shared?: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 200 })
  @OptionalNullable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId?: string | null;
}

export class CreateCmdbRelationDto implements CreateCmdbRelationRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  fromId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  toId!: string;

  @ApiProperty({ enum: CMDB_RELATION_KINDS })
  @IsIn(CMDB_RELATION_KINDS)
  kind!: CmdbRelationKind;
}

export class CmdbImpactQueryDto {
  @ApiPropertyOptional({ enum: CMDB_IMPACT_DIRECTIONS, default: 'impact' })
  @OptionalNotNull()
  @IsIn(CMDB_IMPACT_DIRECTIONS)
  direction?: CmdbImpactDirection;

  @ApiPropertyOptional({ minimum: 1, maximum: CMDB_IMPACT_MAX_DEPTH, default: 5 })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CMDB_IMPACT_MAX_DEPTH)
  depth?: number;
}

export class CmdbExpiringQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: CMDB_EXPIRY_MAX_DAYS, default: CMDB_EXPIRY_DEFAULT_DAYS })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(CMDB_EXPIRY_MAX_DAYS)
  days?: number;
}

export class LinkTicketItemDto implements LinkTicketItemRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  itemId!: string;
}

export class LinkItemTicketDto implements LinkItemTicketRequest {
  @ApiProperty({ example: 'HWEB-12' })
  @IsString()
  @Matches(TICKET_KEY_PATTERN, { message: 'ticketKey must be a ticket key such as HWEB-12' })
  ticketKey!: string;
}

export class CmdbImportQueryDto {
  @ApiProperty({ example: 'HWEB', description: 'The project the items go to' })
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'project must be a project key such as HWEB' })
  project!: string;

  @ApiPropertyOptional({ description: 'Check every line and report, write nothing', default: false })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  dryRun?: boolean;
}

/** The CI list's filters (without paging), a format, and for CSV the table and its separators. */
export class CmdbExportQueryDto extends CmdbItemQueryDto {
  @ApiProperty({ enum: CMDB_EXPORT_FORMATS })
  @IsIn(CMDB_EXPORT_FORMATS)
  format!: CmdbExportFormat;

  @ApiPropertyOptional({ enum: CMDB_EXPORT_TABLES, default: 'items', description: 'CSV: which table (a workbook holds both)' })
  @OptionalNotNull()
  @IsIn(CMDB_EXPORT_TABLES)
  table?: CmdbExportTable;

  @ApiPropertyOptional({ description: 'CSV: a byte order mark first, for Excel' })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  bom?: boolean;

  @ApiPropertyOptional({ description: 'CSV: semicolons and decimal commas, for French Excel' })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  semicolon?: boolean;
}
