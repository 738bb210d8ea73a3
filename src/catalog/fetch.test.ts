import { describe, expect, it } from 'vitest';
import { dataUrlBytes, memoryFetcher } from './fetch';

describe('data: URLs read without fetch', () => {
  it('decodes base64 and percent-encoded bodies with their type', () => {
    expect(dataUrlBytes('data:image/png;base64,iVBO')).toEqual({
      type: 'image/png',
      bytes: Uint8Array.from([0x89, 0x50, 0x4e]),
    });
    expect(new TextDecoder().decode(dataUrlBytes('data:,a%20b').bytes)).toBe('a b');
    expect(() => dataUrlBytes('http://x/')).toThrow(/not a data: URL/);
  });
});

describe('memoryFetcher', () => {
  it('serves the files it holds and asks the fallback for the rest', async () => {
    const f = memoryFetcher({ 'blob:hushcart-file/x.json': Uint8Array.from([1]) }, async () => Uint8Array.from([2]));
    expect(await f('blob:hushcart-file/x.json')).toEqual(Uint8Array.from([1]));
    expect(await f('/other')).toEqual(Uint8Array.from([2]));
  });
});
