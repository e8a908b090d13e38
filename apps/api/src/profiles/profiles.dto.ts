import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { RIGHTS, type CreateProfileRequest, type Right, type UpdateProfileRequest } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateProfileDto implements CreateProfileRequest {
  @ApiProperty({ pattern: '^[a-z][a-z0-9-]{1,39}$', example: 'project-lead' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'code must be 2 to 40 lower-case letters, digits or dashes, starting with a letter' })
  code!: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameFr!: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn!: string;

  @ApiProperty({ enum: RIGHTS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(RIGHTS, { each: true })
  rights!: Right[];
}

export class UpdateProfileDto implements UpdateProfileRequest {
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

  @ApiPropertyOptional({ enum: RIGHTS, isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(RIGHTS, { each: true })
  rights?: Right[];
}
