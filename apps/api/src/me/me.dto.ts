import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { LOCALES, NOTIFICATION_EVENTS, type CreateApiTokenRequest, type Locale, type NotificationEvent, type UpdateMeRequest } from '@guichet/contracts';

export class UpdateMeDto implements UpdateMeRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTIFICATION_EVENTS, { each: true })
  notifyOn?: NotificationEvent[];

  @ApiPropertyOptional({ nullable: true, example: '+33612345678', description: 'E.164' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'mobilePhone must be an international number such as +33612345678' })
  mobilePhone?: string | null;
}

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ maxLength: 100, example: 'Supervision script' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}
