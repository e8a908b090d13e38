import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OUTBOUND_STATUSES, type OutboundQuery, type OutboundStatus } from '@guichet/contracts';
import { PageQueryDto } from '../common/dto/page-query';
import { OptionalNotNull } from '../common/dto/presence';

export class OutboundQueryDto extends PageQueryDto() implements OutboundQuery {
  @ApiPropertyOptional({ enum: OUTBOUND_STATUSES, description: 'Absent: every message not sent yet (queued, failed, bounced)' })
  @OptionalNotNull()
  @IsIn(OUTBOUND_STATUSES)
  status?: OutboundStatus;
}
