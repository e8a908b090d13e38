import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id in a path that is not even a UUID names nothing the user can see: 404, like any unknown id. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly objectType: string) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError(this.objectType, String(value).slice(0, 100));
    return value.toLowerCase();
  }
}
