import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, ValidateNested } from 'class-validator';
import { EXPORT_FORMATS, EXPORT_SUBJECTS, type ExportFormat, type ExportRequest, type ExportSubject } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';
import { queryFlag } from '../common/dto/query-values';
import { StatsQueryDto } from '../stats/stats.dto';
import { TicketQueryDto } from '../tickets/ticket-port';

export class ExportRequestDto implements ExportRequest {
  @ApiProperty({ enum: EXPORT_SUBJECTS })
  @IsIn(EXPORT_SUBJECTS)
  what!: ExportSubject;

  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS)
  format!: ExportFormat;

  @ApiPropertyOptional({ type: TicketQueryDto, description: 'The ticket list filter and sort, as GET /api/tickets takes them (cursor and limit ignored)' })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => TicketQueryDto)
  filters?: TicketQueryDto;

  @ApiPropertyOptional({ description: 'CSV: a byte order mark first, for Excel' })
  @OptionalNotNull()
  @IsBoolean()
  bom?: boolean;

  @ApiPropertyOptional({ description: 'CSV: semicolons and decimal commas, for French Excel' })
  @OptionalNotNull()
  @IsBoolean()
  semicolon?: boolean;

  @ApiPropertyOptional({ description: 'Always as a background job, even when small' })
  @OptionalNotNull()
  @IsBoolean()
  background?: boolean;
}

/** Every statistics table of the dashboard, for the same range and filters as GET /api/stats. */
export class StatisticsExportQueryDto extends StatsQueryDto {
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS)
  format!: ExportFormat;

  @ApiPropertyOptional({ description: 'CSV: a byte order mark first, for Excel' })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  bom?: boolean;

  @ApiPropertyOptional({ description: 'CSV: semicolons and decimal commas, for French Excel' })
  @OptionalNotNull()
  @Transform(queryFlag)
  @IsBoolean()
  semicolon?: boolean;
}
