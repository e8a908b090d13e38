import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LOCALES, NOTIFICATION_EVENTS, type CreateApiTokenRequest, type Locale, type NotificationEvent, type UpdateMeRequest } from '@guichet/contracts';
import { OptionalNameField, OptionalOneOfField } from '../common/dto/fields';
import { OptionalNotNull, OptionalNullable } from '../common/dto/presence';

export class UpdateMeDto implements UpdateMeRequest {
  @OptionalNameField()
  displayName?: string;

  @OptionalOneOfField(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS, isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTIFICATION_EVENTS, { each: true })
  notifyOn?: NotificationEvent[];

  @ApiPropertyOptional({ type: String, example: '+33612345678', description: 'E.164' })
  @OptionalNullable()
  @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'mobilePhone must be an international number such as +33612345678' })
  mobilePhone?: string | null;
}

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ maxLength: 100, example: 'Supervision script' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3650 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}
