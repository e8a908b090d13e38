import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import type { CreateCannedReplyRequest, UpdateCannedReplyRequest } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateCannedReplyDto implements CreateCannedReplyRequest {
  @ApiProperty({ example: 'Demande de précisions', maxLength: 120 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'Bonjour {{demandeur}},\n\nPouvez-vous nous préciser…', maxLength: 20000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body!: string;

  @ApiPropertyOptional({ description: 'The space whose agents use it; left out for every space (administrators).', format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  spaceId?: string;
}

export class UpdateCannedReplyDto implements UpdateCannedReplyRequest {
  @ApiPropertyOptional({ maxLength: 120 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body?: string;
}
