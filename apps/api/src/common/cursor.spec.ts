import { ValidationError } from './errors';
import { cursorCodec, isTimestampText, isUuidText } from './cursor';

const ID = '0b9e5c1e-3f7a-4d2b-9c4e-8a1f2b3c4d5e';
const keyset = cursorCodec<{ at: string; id: string }>(
  'k',
  (k) => [k.at, k.id],
  ([at, id]) => (isTimestampText(at) && isUuidText(id) ? { at, id } : undefined),
);
const offset = cursorCodec<number>(
  'o',
  (n) => [n],
  ([n]) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined),
);
const text = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('page cursors', () => {
  it('give back the position they were made from, as base64url text of the tag and the values', () => {
    const position = { at: '2026-12-07T02:30:00.123456+00:00', id: ID };
    const cursor = keyset.encode(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).toBe(text(['k', position.at, ID]));
    expect(keyset.decode(cursor)).toEqual(position);
    expect(offset.decode(offset.encode(40))).toBe(40);
  });

  it.each([
    ['garbage', 'garbage'],
    ['text that is no JSON', Buffer.from('not json').toString('base64url')],
    ['JSON that is no array', text({ k: 1 })],
    ['the cursor of another list', text(['o', 3])],
    ["values of this list under another list's tag", text(['o', '2026-12-07T02:30:00Z', ID])],
    ['a value of the wrong kind', text(['k', 'yesterday', ID])],
    ['SQL in place of an id', text(['k', '2026-12-07T02:30:00Z', "x' OR 1=1 --"])],
    ['an object in place of a value', text(['k', { a: 1 }, ID])],
    ['no values', text(['k'])],
    ['an empty text', ''],
  ])('refuse %s with a 400 that says why', (_, cursor) => {
    expect(() => keyset.decode(cursor)).toThrow(ValidationError);
    expect(() => keyset.decode(cursor)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', message: 'Invalid cursor', details: ['cursor is not a value returned by this list'] }),
    );
  });

  it('refuse a well-formed position that the list does not accept', () => {
    const cursor = offset.encode(600);
    expect(offset.decode(cursor, (n) => n <= 1000)).toBe(600);
    expect(() => offset.decode(cursor, (n) => n <= 500)).toThrow(ValidationError);
    expect(() => offset.decode(offset.encode(-1))).toThrow(ValidationError);
  });
});
