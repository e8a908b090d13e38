import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { OUTBOUND_STATUSES, type OutboundQuery, type OutboundStatus } from '@guichet/contracts';

export class OutboundQueryDto implements OutboundQuery {
  @ApiPropertyOptional({ enum: OUTBOUND_STATUSES, description: 'Absent: every message not sent yet (queued, failed, bounced)' })
  @IsOptional()
  @IsIn(OUTBOUND_STATUSES)
  status?: OutboundStatus;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
