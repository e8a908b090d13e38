import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsString, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_OUTCOMES, type AuditOutcome, type AuditQuery } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class AuditQueryDto implements AuditQuery {
  @ApiPropertyOptional({ description: 'An action, or a prefix ending with a dot (auth.)', maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @OptionalNotNull()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ description: 'Email address or account id of the actor', maxLength: 254 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(254)
  actor?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(50)
  objectType?: string;

  @ApiPropertyOptional({ description: 'The object’s id; a project is found by its id or its key', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  objectId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @OptionalNotNull()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
