import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import { QueryValidationPipe } from './query-validation-pipe';
import { OptionalNotNull } from './dto/presence';

class PageQuery {
  @OptionalNotNull()
  @Transform(({ value }: { value: unknown }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @OptionalNotNull()
  @Transform(({ value }: { value: unknown }) => String(value).split(','))
  @IsArray()
  @IsIn(['open', 'closed'], { each: true })
  status?: string[];
}

const asQuery: ArgumentMetadata = { type: 'query', metatype: PageQuery, data: undefined };
const asBody: ArgumentMetadata = { type: 'body', metatype: PageQuery, data: undefined };

describe('QueryValidationPipe', () => {
  let pipe: QueryValidationPipe;
  let validations: jest.SpyInstance;

  beforeEach(() => {
    pipe = new QueryValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true });
    validations = jest.spyOn(ValidationPipe.prototype, 'transform');
  });
  afterEach(() => validations.mockRestore());

  it('validates a query string once, then gives every caller its own copy of the same class', async () => {
    const first = (await pipe.transform({ limit: '50', status: 'open,closed' }, asQuery)) as PageQuery;
    const second = (await pipe.transform({ limit: '50', status: 'open,closed' }, asQuery)) as PageQuery;
    expect(validations).toHaveBeenCalledTimes(1);
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).toEqual(first);
    expect(second).toEqual({ limit: 50, status: ['open', 'closed'] });
    first.status!.push('changed');
    second.status!.push('changed too');
    expect(await pipe.transform({ limit: '50', status: 'open,closed' }, asQuery)).toEqual({ limit: 50, status: ['open', 'closed'] });
    expect(validations).toHaveBeenCalledTimes(1);
  });

  it('validates another query string on its own', async () => {
    expect(await pipe.transform({ limit: '10' }, asQuery)).toEqual({ limit: 10 });
    expect(await pipe.transform({ limit: '20' }, asQuery)).toEqual({ limit: 20 });
    expect(validations).toHaveBeenCalledTimes(2);
  });

  it('refuses an invalid query every time and remembers nothing of it', async () => {
    for (const query of [{ limit: '500' }, { limit: '500' }, { unknown: 'x' }, { status: 'lost' }]) {
      await expect(pipe.transform(query, asQuery)).rejects.toBeInstanceOf(BadRequestException);
    }
    expect(validations).toHaveBeenCalledTimes(4);
  });

  it('validates bodies every time', async () => {
    await pipe.transform({ limit: 5 }, asBody);
    await pipe.transform({ limit: 5 }, asBody);
    expect(validations).toHaveBeenCalledTimes(2);
  });

  it('forgets the least recently used query beyond 500', async () => {
    // 500 other valid query strings: 2 to 100, written with 3 to 8 digits.
    const others = [3, 4, 5, 6, 7, 8].flatMap((digits) => Array.from({ length: 99 }, (_, i) => String(i + 2).padStart(digits, '0'))).slice(0, 500);
    await pipe.transform({ limit: '1' }, asQuery);
    await pipe.transform({ limit: '7' }, asQuery);
    for (const [i, limit] of others.entries()) {
      await pipe.transform({ limit }, asQuery);
      // Used again while the others come in: it stays.
      if (i === 250) await pipe.transform({ limit: '7' }, asQuery);
    }
    validations.mockClear();
    await pipe.transform({ limit: '7' }, asQuery);
    expect(validations).toHaveBeenCalledTimes(0);
    await pipe.transform({ limit: '1' }, asQuery);
    expect(validations).toHaveBeenCalledTimes(1);
  });
});
