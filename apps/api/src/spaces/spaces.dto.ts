import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { CreateSpaceRequest, UpdateSpaceRequest } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateSpaceDto implements CreateSpaceRequest {
  @ApiProperty({ example: 'Ministère de la Culture', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

export class UpdateSpaceDto implements UpdateSpaceRequest {
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
