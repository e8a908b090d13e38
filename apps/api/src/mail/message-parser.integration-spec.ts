import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRaw } from './parse-raw';
import type { MessageParser as MessageParserType } from './message-parser';

const ROOT = join(__dirname, '../../../..');
const CORPUS = join(__dirname, '../../test/mail/corpus');
const DOMAIN = 'guichet.example.test';

/** The compiled parser (built by the test run's global set-up), as the worker process runs it: its thread entry exists next to it. */
describe('parsing received mail on the parsing thread', () => {
  let parser: MessageParserType;

  beforeAll(() => {
    const { MessageParser } = require(join(ROOT, 'dist/apps/api/apps/api/src/mail/message-parser.js')) as { MessageParser: typeof MessageParserType };
    parser = new MessageParser({ messageIdDomain: DOMAIN } as never);
  }, 60000);
  afterAll(() => parser.onModuleDestroy());

  it('gives what parsing inline gives for every message of the corpus, attachments as buffers', async () => {
    const names = readdirSync(CORPUS).filter((n) => n.endsWith('.eml'));
    expect(names.length).toBeGreaterThan(5);
    const raws = names.map((n) => readFileSync(join(CORPUS, n)));
    // All at once, as a batch is: answers must not cross.
    const threaded = await Promise.all(raws.map((raw) => parser.parse(raw)));
    expect((parser as unknown as { thread?: unknown }).thread).toBeDefined();
    for (const [i, raw] of raws.entries()) {
      const inline = await parseRaw(raw, DOMAIN);
      const got = threaded[i]!;
      expect(got.raw).toBe(raw);
      expect(got.rawKey).toBe(inline.rawKey);
      expect(got.error).toBe(inline.error);
      expect({ ...got.message, attachments: undefined }).toEqual({ ...inline.message, attachments: undefined });
      expect(got.message?.attachments.length).toBe(inline.message?.attachments.length);
      got.message?.attachments.forEach((a, j) => {
        const expected = inline.message!.attachments[j]!;
        expect(Buffer.isBuffer(a.content)).toBe(true);
        expect(a.content.equals(expected.content)).toBe(true);
        expect({ ...a, content: undefined }).toEqual({ ...expected, content: undefined });
      });
    }
    const withAttachments = threaded.filter((p) => p.message?.attachments.length);
    expect(withAttachments.length).toBeGreaterThan(2);
  });
});
