import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsUUID, Matches } from 'class-validator';
import { LOCALES, REPORT_MAX_RECIPIENTS, REPORT_MONTH_PATTERN, type Locale, type ReportRecipientsUpdate, type ReportRequest } from '@guichet/contracts';
import { OptionalNotNull } from '../common/dto/presence';

const MONTH_MESSAGE = 'month must be a month such as 2026-04';

export class ReportRequestDto implements ReportRequest {
  @ApiProperty({ example: '2026-04', description: 'The month, cut at midnight in Europe/Paris' })
  @Matches(REPORT_MONTH_PATTERN, { message: MONTH_MESSAGE })
  month!: string;

  @ApiPropertyOptional({ enum: LOCALES, description: "The report's language; default: the caller's" })
  @OptionalNotNull()
  @IsIn(LOCALES, { message: 'locale must be fr or en' })
  locale?: Locale;
}

export class ReportMonthQueryDto {
  @ApiProperty({ example: '2026-04' })
  @Matches(REPORT_MONTH_PATTERN, { message: MONTH_MESSAGE })
  month!: string;
}

export class ReportRecipientsDto implements ReportRecipientsUpdate {
  @ApiProperty({ type: [String], description: `Accounts that receive the monthly report (at most ${REPORT_MAX_RECIPIENTS}); each must be able to read it` })
  @IsArray()
  @ArrayMaxSize(REPORT_MAX_RECIPIENTS, { message: `At most ${REPORT_MAX_RECIPIENTS} recipients.` })
  @IsUUID('all', { each: true, message: 'accountIds must be account ids' })
  accountIds!: string[];
}
