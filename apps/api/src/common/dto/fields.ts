import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from './presence';

/** Fields that several request bodies share, each with one set of rules and one message. */

/** A required display name (a space's, a project's), `max` characters at most. */
export function NameField(example?: string, max = 200): PropertyDecorator {
  return applyDecorators(ApiProperty({ example, maxLength: max }), IsString(), IsNotEmpty(), MaxLength(max));
}

/** A name that may be left out (changes), never empty or null. */
export function OptionalNameField(max = 200): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ maxLength: max }), OptionalNotNull(), IsString(), IsNotEmpty(), MaxLength(max));
}

/** A free description that may be left out or empty. */
export function DescriptionField(max = 4000): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ maxLength: max }), OptionalNotNull(), IsString(), MaxLength(max));
}

const HOST = /^[A-Za-z0-9.-]{1,253}$/;

/** A server's host name or address (IMAP, SMTP). */
export function HostField(example: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ example }), Matches(HOST, { message: 'host must be a host name or address' }));
}

/** A TCP port. */
export function PortField(example: number): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'integer', minimum: 1, maximum: 65535, example }), IsInt(), Min(1), Max(65535));
}

/** One of a fixed list of values. */
export function OneOfField(values: readonly string[]): PropertyDecorator {
  return applyDecorators(ApiProperty({ enum: values }), IsIn(values));
}

/** One of a fixed list of values, or left out; never null. */
export function OptionalOneOfField(values: readonly string[]): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ enum: values }), OptionalNotNull(), IsIn(values));
}
