import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
// The one place that may use IsOptional: every other DTO says which of the two rules below it follows.
// eslint-disable-next-line no-restricted-imports
import { IsOptional, ValidateBy, ValidateIf } from 'class-validator';

/** The name of the constraint a null value breaks; the validation answer names only this one for the field. */
export const NOT_NULL = 'notNull';

/**
 * The field may be left out, but null is refused with "<field> must not be null". class-validator's
 * own IsOptional lets null through to the service, where it reached NOT NULL columns as a 500.
 */
export function OptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_, value) => value !== undefined),
    ValidateBy({
      name: NOT_NULL,
      validator: { validate: (value) => value !== null, defaultMessage: () => '$property must not be null: leave it out instead' },
    }),
    ApiProperty({ required: false }),
  );
}

/** The field may be left out, or null to clear it ("none"); the OpenAPI document marks it nullable. */
export function OptionalNullable(): PropertyDecorator {
  return applyDecorators(IsOptional(), ApiProperty({ required: false, nullable: true }));
}
