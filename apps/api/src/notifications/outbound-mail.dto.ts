import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { OUTBOUND_STATUSES, type OutboundQuery, type OutboundStatus } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

export class OutboundQueryDto implements OutboundQuery {
  @ApiPropertyOptional({ enum: OUTBOUND_STATUSES, description: 'Absent: every message not sent yet (queued, failed, bounced)' })
  @OptionalNotNull()
  @IsIn(OUTBOUND_STATUSES)
  status?: OutboundStatus;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @OptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
