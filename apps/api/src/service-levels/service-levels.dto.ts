import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { type Priority, type ReplaceServiceLevelsRequest, type ServiceLevel, TICKET_KINDS, type TicketKind } from '@guichet/contracts';
import { OptionalNotNull, OptionalNullable } from '../common/dto/presence';

/** A year of minutes: a longer target is a typing mistake. */
const MAX_MINUTES = 525_600;

export class ServiceLevelDto implements ServiceLevel {
  @ApiProperty({ enum: TICKET_KINDS })
  @IsIn(TICKET_KINDS)
  kind!: TicketKind;

  @ApiProperty({ enum: [1, 2, 3, 4] })
  @IsIn([1, 2, 3, 4])
  priority!: Priority;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MINUTES,
    example: 120,
    description: 'Time to take charge (GTI), minutes of business time; null: not measured.',
  })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES)
  takeChargeMinutes!: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MINUTES,
    example: 240,
    description: 'Time to restore (GTR), minutes of business time; null: not measured.',
  })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES)
  restoreMinutes!: number | null;

  @ApiProperty({ format: 'uuid', description: 'The calendar the targets are counted in.' })
  @IsUUID()
  calendarId!: string;
}

export class ReplaceServiceLevelsDto implements ReplaceServiceLevelsRequest {
  @ApiProperty({ type: [ServiceLevelDto] })
  @IsArray()
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => ServiceLevelDto)
  levels!: ServiceLevelDto[];

  @ApiProperty({ type: [String], example: ['waiting_customer'], description: 'Statuses in which the clocks stop.' })
  @IsArray()
  @ArrayMaxSize(40)
  @IsString({ each: true })
  pausingStatuses!: string[];

  @ApiPropertyOptional({ type: [Number], example: [75, 100], description: 'Percentages of each target that raise an alert (default 75 and 100).' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(100, { each: true })
  alertThresholds?: number[];
}
