import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import {
  MAX_INCIDENT_CONTACTS,
  PROJECT_ACCESS_LEVELS,
  PROJECT_KEY_PATTERN,
  type CreateProjectRequest,
  type GrantProjectAccessRequest,
  type ProjectAccessLevel,
  type ReplaceIncidentContactsRequest,
  type Typology,
  type UpdateProjectRequest,
} from '@guichet/contracts';
import { DescriptionField, NameField, OptionalNameField } from '../common/dto/fields';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateProjectDto implements CreateProjectRequest {
  @ApiProperty({ example: 'HWEB', pattern: PROJECT_KEY_PATTERN.source })
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'key must be 2 to 10 upper-case letters or digits, starting with a letter (e.g. HWEB)' })
  key!: string;

  @NameField('Sites web')
  name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'spaceId must be the id of a space' })
  spaceId!: string;

  @DescriptionField()
  description?: string;
}

export class UpdateProjectDto implements UpdateProjectRequest {
  @OptionalNameField()
  name?: string;

  @DescriptionField()
  description?: string;
}

export class GrantProjectAccessDto implements GrantProjectAccessRequest {
  @ApiProperty({ enum: PROJECT_ACCESS_LEVELS })
  @IsIn(PROJECT_ACCESS_LEVELS)
  level!: ProjectAccessLevel;
}

export class ReplaceIncidentContactsDto implements ReplaceIncidentContactsRequest {
  @ApiProperty({
    type: [String],
    maxItems: MAX_INCIDENT_CONTACTS,
    description: 'Members of the project, told at once of an incident the support team detected.',
  })
  @IsArray()
  @ArrayMaxSize(MAX_INCIDENT_CONTACTS, { message: `accountIds may name at most ${MAX_INCIDENT_CONTACTS} contacts` })
  @IsUUID('all', { each: true, message: 'accountIds must be ids of accounts' })
  accountIds!: string[];
}

export class ListProjectsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  spaceId?: string;
}

export class TypologyDto implements Typology {
  @ApiProperty({ pattern: '^[a-z][a-z0-9_-]{0,39}$', example: 'assistance' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { message: 'code must be lower-case letters, digits, _ or -, starting with a letter' })
  code!: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  labelFr!: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  labelEn!: string;
}

export class ReplaceTypologiesDto {
  @ApiProperty({ type: [TypologyDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TypologyDto)
  typologies!: TypologyDto[];
}
