import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { type CreateSavedViewRequest, PROJECT_KEY_PATTERN, type UpdateSavedViewRequest, VIEW_SHARING, type ViewSharing } from '@guichet/contracts';
import { OptionalNotNull } from '../../common/dto/presence';
import { TicketQueryDto } from '../../tickets/ticket-port';

const NAME = /\S/;

export class CreateSavedViewDto implements CreateSavedViewRequest {
  @ApiProperty({ example: 'Incidents urgents du portail', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(NAME, { message: 'name must not be empty' })
  name!: string;

  @ApiProperty({ type: TicketQueryDto, description: 'The ticket list filter and sort, as GET /api/tickets takes them' })
  @IsObject()
  @ValidateNested()
  @Type(() => TicketQueryDto)
  query!: TicketQueryDto;

  @ApiProperty({ enum: VIEW_SHARING })
  @IsIn(VIEW_SHARING)
  sharedWith!: ViewSharing;

  @ApiPropertyOptional({ format: 'uuid', description: 'For sharedWith space: the space whose support team sees it' })
  @OptionalNotNull()
  @IsUUID()
  spaceId?: string;

  @ApiPropertyOptional({ example: 'HWEB', description: 'For sharedWith project: the project whose members see it' })
  @OptionalNotNull()
  @Matches(PROJECT_KEY_PATTERN, { message: 'projectKey must be a project key such as HWEB' })
  projectKey?: string;
}

export class UpdateSavedViewDto implements UpdateSavedViewRequest {
  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(100)
  @Matches(NAME, { message: 'name must not be empty' })
  name?: string;

  @ApiPropertyOptional({ type: TicketQueryDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => TicketQueryDto)
  query?: TicketQueryDto;
}
