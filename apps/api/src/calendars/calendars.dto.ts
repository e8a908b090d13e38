import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { HOLIDAY_SETS, type HolidaySet, type OpeningRange } from '@guichet/business-time';
import type { CreateCalendarRequest, UpdateCalendarRequest } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

const WEEK_DESCRIPTION =
  'Seven lists of opening ranges, Monday first; each range is {"start":"08:00","end":"12:00"} in the calendar\'s time zone ("24:00" ends at midnight). An empty list is a closed day.';
const WEEK_EXAMPLE = [
  [
    { start: '08:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  [{ start: '08:00', end: '18:00' }],
  [{ start: '08:00', end: '18:00' }],
  [{ start: '08:00', end: '18:00' }],
  [{ start: '08:00', end: '18:00' }],
  [],
  [],
];

export class CreateCalendarDto implements CreateCalendarRequest {
  @ApiProperty({ example: 'Heures ouvrées Strasbourg', maxLength: 120 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'An IANA time zone.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  timeZone!: string;

  @ApiProperty({ description: WEEK_DESCRIPTION, example: WEEK_EXAMPLE, type: 'array', items: { type: 'array', items: { type: 'object' } } })
  @IsArray()
  @ArrayMaxSize(7)
  week!: OpeningRange[][];

  @ApiProperty({ enum: HOLIDAY_SETS, description: 'French public holidays, with the two Alsace-Moselle days, or none.' })
  @IsIn(HOLIDAY_SETS)
  holidays!: HolidaySet;

  @ApiProperty({ type: [String], example: ['2026-12-24'], description: 'Extra closed days, YYYY-MM-DD.' })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  extraClosedDays!: string[];
}

export class UpdateCalendarDto implements UpdateCalendarRequest {
  @ApiPropertyOptional({ maxLength: 120 })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ description: WEEK_DESCRIPTION, type: 'array', items: { type: 'array', items: { type: 'object' } } })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(7)
  week?: OpeningRange[][];

  @ApiPropertyOptional({ enum: HOLIDAY_SETS })
  @OptionalNotNull()
  @IsIn(HOLIDAY_SETS)
  holidays?: HolidaySet;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  extraClosedDays?: string[];
}
