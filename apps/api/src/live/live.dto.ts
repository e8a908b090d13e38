import { ApiProperty } from '@nestjs/swagger';
import type { ComposingSignal } from '@guichet/contracts';
import { IsBoolean } from 'class-validator';

export class ComposingSignalDto implements ComposingSignal {
  @ApiProperty({ description: 'An internal note rather than a public reply.' })
  @IsBoolean()
  internal!: boolean;
}
