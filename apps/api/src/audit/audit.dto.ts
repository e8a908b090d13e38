import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { AUDIT_OUTCOMES, type AuditOutcome, type AuditQuery } from '@guichet/contracts';
import { PageQueryDto } from '../common/dto/page-query';
import { OptionalNotNull } from '../common/dto/presence';

export class AuditQueryDto extends PageQueryDto(500) implements AuditQuery {
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
}
