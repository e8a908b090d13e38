import { ApiProperty } from '@nestjs/swagger';
import { IN_APP_KINDS, type InAppKind, type InAppPreferences } from '@guichet/contracts';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';

export class InAppPreferencesDto implements InAppPreferences {
  @ApiProperty({ enum: IN_APP_KINDS, isArray: true, description: 'The kinds the bell shows; the others are not recorded.' })
  @IsArray()
  @ArrayMaxSize(IN_APP_KINDS.length)
  @IsIn(IN_APP_KINDS, { each: true })
  inApp!: InAppKind[];
}
