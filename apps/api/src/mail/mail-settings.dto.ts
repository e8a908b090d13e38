import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsUUID,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAIL_SECURITY,
  PROJECT_KEY_PATTERN,
  TICKET_KEY_PATTERN,
  type AcceptReviewRequest,
  type MailboxRoute,
  type MailSecurity,
  type SaveMailboxRequest,
  type SaveSmtpSettingsRequest,
} from '@guichet/contracts';
import { OptionalNotNull, OptionalNullable } from '../common/dto/presence';

const HOST = /^[A-Za-z0-9.-]{1,253}$/;

export class MailboxRouteDto implements MailboxRoute {
  @ApiProperty({ example: 'intranet@support.example.fr', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  address!: string;

  @ApiProperty({ example: 'HINT' })
  @Matches(PROJECT_KEY_PATTERN, { message: 'projectKey must be a project key' })
  projectKey!: string;
}

export class SaveMailboxDto implements SaveMailboxRequest {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'imap.example.fr' })
  @Matches(HOST, { message: 'host must be a host name or address' })
  host!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 65535, example: 993 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port!: number;

  @ApiProperty({ enum: MAIL_SECURITY })
  @IsIn(MAIL_SECURITY)
  security!: MailSecurity;

  @ApiProperty({ maxLength: 254 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  username!: string;

  @ApiPropertyOptional({ description: 'Omit to keep the stored password', maxLength: 500 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  password?: string;

  @ApiPropertyOptional({ default: 'INBOX', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  inboxFolder?: string;

  @ApiPropertyOptional({ default: 'Processed', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  processedFolder?: string;

  @ApiPropertyOptional({ default: 'Errors', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  errorFolder?: string;

  @ApiPropertyOptional({ type: String, example: 'HWEB' })
  @OptionalNullable()
  @Matches(PROJECT_KEY_PATTERN, { message: 'defaultProjectKey must be a project key' })
  defaultProjectKey?: string | null;

  @ApiPropertyOptional({ type: [MailboxRouteDto] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => MailboxRouteDto)
  routes?: MailboxRouteDto[];

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class SaveSmtpSettingsDto implements SaveSmtpSettingsRequest {
  @ApiProperty({ example: 'smtp.example.fr' })
  @Matches(HOST, { message: 'host must be a host name or address' })
  host!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 65535, example: 587 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port!: number;

  @ApiProperty({ enum: MAIL_SECURITY })
  @IsIn(MAIL_SECURITY)
  security!: MailSecurity;

  @ApiPropertyOptional({ maxLength: 254 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(254)
  username?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  password?: string;

  @ApiProperty({ example: 'support@example.fr', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  fromAddress!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(100)
  fromName?: string;
}

export class AcceptReviewDto implements AcceptReviewRequest {
  @ApiPropertyOptional({ example: 'HWEB-12' })
  @OptionalNotNull()
  @Matches(TICKET_KEY_PATTERN, { message: 'ticketKey must be a ticket key such as HWEB-12' })
  ticketKey?: string;

  @ApiPropertyOptional({ example: 'HWEB' })
  @OptionalNotNull()
  @Matches(PROJECT_KEY_PATTERN, { message: 'projectKey must be a project key' })
  projectKey?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  requesterId?: string;
}
