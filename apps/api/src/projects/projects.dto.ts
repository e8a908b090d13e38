import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import {
  PROJECT_ACCESS_LEVELS,
  PROJECT_KEY_PATTERN,
  type CreateProjectRequest,
  type GrantProjectAccessRequest,
  type ProjectAccessLevel,
  type Typology,
  type UpdateProjectRequest,
} from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateProjectDto implements CreateProjectRequest {
  @ApiProperty({ example: 'HWEB', pattern: PROJECT_KEY_PATTERN.source })
  @IsString()
  @Matches(PROJECT_KEY_PATTERN, { message: 'key must be 2 to 10 upper-case letters or digits, starting with a letter (e.g. HWEB)' })
  key!: string;

  @ApiProperty({ example: 'Sites web', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'spaceId must be the id of a space' })
  spaceId!: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

export class UpdateProjectDto implements UpdateProjectRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

export class GrantProjectAccessDto implements GrantProjectAccessRequest {
  @ApiProperty({ enum: PROJECT_ACCESS_LEVELS })
  @IsIn(PROJECT_ACCESS_LEVELS)
  level!: ProjectAccessLevel;
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
