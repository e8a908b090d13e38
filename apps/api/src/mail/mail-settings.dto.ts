import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsUUID, IsBoolean, IsEmail, IsNotEmpty, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
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
import { HostField, OneOfField, PortField } from '../common/dto/fields';
import { OptionalNotNull, OptionalNullable } from '../common/dto/presence';

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

  @HostField('imap.example.fr')
  host!: string;

  @PortField(993)
  port!: number;

  @OneOfField(MAIL_SECURITY)
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
  @HostField('smtp.example.fr')
  host!: string;

  @PortField(587)
  port!: number;

  @OneOfField(MAIL_SECURITY)
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
