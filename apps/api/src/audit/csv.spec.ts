import { toCsvRow } from './csv';

describe('toCsvRow (RFC 4180, CSV injection)', () => {
  it('joins plain cells with commas and ends with CRLF', () => {
    expect(toCsvRow(['a', 'b', 42, true])).toBe('a,b,42,true\r\n');
  });

  it('leaves null and undefined empty', () => {
    expect(toCsvRow([null, 'x', undefined])).toBe(',x,\r\n');
  });

  it('quotes cells with commas, quotes or line breaks, doubling the quotes', () => {
    expect(toCsvRow(['a,b', 'dit "oui"', 'ligne 1\nligne 2', 'cr\rlf', 'ok'])).toBe('"a,b","dit ""oui""","ligne 1\nligne 2","cr\rlf",ok\r\n');
  });

  it.each([['=1+1'], ['+33 1 23'], ['-2+3'], ['@SUM(A1)'], ['\tcmd'], ['\rcmd']])('neutralises the formula %j with a leading quote', (cell) => {
    const line = toCsvRow([cell]);
    const value = line.startsWith('"') ? line.slice(1, -3).replace(/""/g, '"') : line.slice(0, -2);
    expect(value).toBe(`'${cell}`);
  });

  it('neutralises a formula that also needs quoting', () => {
    expect(toCsvRow(['=HYPERLINK("http://x","clic")'])).toBe('"\'=HYPERLINK(""http://x"",""clic"")"\r\n');
  });

  it('leaves a formula character that is not the first one alone', () => {
    expect(toCsvRow(['a=b', 'x-y'])).toBe('a=b,x-y\r\n');
  });
});
