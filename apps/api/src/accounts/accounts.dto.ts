import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { LOCALES, type CreateAccountRequest, type Locale, type UpdateAccountRequest } from '@guichet/contracts';
import { PageQueryDto } from '../common/dto/page-query';
import { OptionalNameField, OptionalOneOfField } from '../common/dto/fields';
import { OptionalNotNull } from '../common/dto/presence';

export class CreateAccountDto implements CreateAccountRequest {
  @ApiProperty({ example: 'marie.dupont@culture.gouv.fr', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Marie Dupont', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName!: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'fr' })
  @OptionalNotNull()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'profileId must be the id of a profile' })
  profileId!: string;
}

export class UpdateAccountDto implements UpdateAccountRequest {
  @OptionalNameField()
  displayName?: string;

  @OptionalOneOfField(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID('all', { message: 'profileId must be the id of a profile' })
  profileId?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class ListAccountsQuery extends PageQueryDto() {
  @ApiPropertyOptional({ description: 'Part of the email address or name', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  profileId?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}
