import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { CreateSupportGroupRequest, UpdateSupportGroupRequest } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateSupportGroupDto implements CreateSupportGroupRequest {
  @ApiProperty({ example: 'Pôle Internet', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;
}

export class UpdateSupportGroupDto implements UpdateSupportGroupRequest {
  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;
}

/** A search of people by name or address, for a picker. */
export class PeopleSearchQuery {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  q?: string;
}
