import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsUUID, Matches } from 'class-validator';
import {
  PROJECT_KEY_PATTERN,
  STATS_GRANULARITIES,
  TICKET_KINDS,
  type Priority,
  type StatsGranularity,
  type StatsQuery,
  type TicketKind,
} from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';
import { queryList } from '../common/dto/query-values';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class StatsQueryDto implements StatsQuery {
  @ApiPropertyOptional({ format: 'date', description: 'First day (Europe/Paris); default: 1 January of this year' })
  @OptionalNotNull()
  @Matches(DAY, { message: 'from must be a day such as 2026-04-01' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last day, included (Europe/Paris); default: today' })
  @OptionalNotNull()
  @Matches(DAY, { message: 'to must be a day such as 2026-06-30' })
  to?: string;

  @ApiPropertyOptional({ enum: STATS_GRANULARITIES, description: 'default: month' })
  @OptionalNotNull()
  @IsIn(STATS_GRANULARITIES)
  granularity?: StatsGranularity;

  @ApiPropertyOptional({ type: [String], description: 'Project keys' })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PROJECT_KEY_PATTERN, { each: true, message: 'project must be project keys' })
  project?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Space ids' })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'space must be space ids' })
  space?: string[];

  @ApiPropertyOptional({ enum: TICKET_KINDS, isArray: true })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @IsIn(TICKET_KINDS, { each: true })
  kind?: TicketKind[];

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @Transform(queryList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { each: true, message: 'typology must be typology codes' })
  typology?: string[];

  @ApiPropertyOptional({ type: [Number] })
  @OptionalNotNull()
  @Transform(({ value }) => queryList({ value })?.map(Number))
  @IsArray()
  @IsIn([1, 2, 3, 4], { each: true, message: 'priority must be 1, 2, 3 or 4' })
  priority?: Priority[];
}
