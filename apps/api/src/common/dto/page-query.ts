import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from './presence';

/**
 * The paging fields of a list's query DTO, which extends the class returned: where the previous
 * page ended (common/cursor) and how many items a page holds, 50 unless asked, `maxLimit` at most.
 * A class per bound, since class-validator cannot narrow an inherited field's constraint.
 */
export function PageQueryDto(maxLimit = 200) {
  abstract class PageQuery {
    @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
    @OptionalNotNull()
    @IsString()
    @MaxLength(300)
    cursor?: string;

    @ApiPropertyOptional({ minimum: 1, maximum: maxLimit, default: 50 })
    @OptionalNotNull()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit?: number;
  }
  return PageQuery;
}
