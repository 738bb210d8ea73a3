import { describe, expect, it } from 'vitest';
import { cssUrl, safeLinkUrl } from './safe-url';

const BASE = 'https://shop.example/hushcart/pack.json';

/** Spellings a browser would follow as script or as a document it builds from the URL itself. */
const HOSTILE = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'JAVASCRIPT:alert(1)',
  '  javascript:alert(1)',
  '\u0001javascript:alert(1)',
  '\u0000 javascript:alert(1)',
  '\u001fjavascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  'javascript\t:alert(1)',
  'jav&#x09;ascript:alert(1)'.replace('&#x09;', '\t'),
  'javascript:alert(1)  ',
  'data:text/html,<script>alert(1)</script>',
  'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'blob:https://shop.example/3f1c-41',
  'file:///etc/passwd',
  'filesystem:https://shop.example/temporary/x',
  'about:blank',
  'ws://shop.example/socket',
];

describe('safeLinkUrl: only http(s), checked on the parsed URL', () => {
  it.each(HOSTILE)('refuses %j', (raw) => {
    expect(safeLinkUrl(raw, BASE)).toBeNull();
    expect(safeLinkUrl(raw)).toBeNull();
  });

  it('resolves paths against the pack and keeps http(s) URLs as the browser would follow them', () => {
    expect(safeLinkUrl('p/1', BASE)).toBe('https://shop.example/hushcart/p/1');
    expect(safeLinkUrl('/p/1?x=1#top', BASE)).toBe('https://shop.example/p/1?x=1#top');
    expect(safeLinkUrl('  https://shop.example/p/2 ', BASE)).toBe('https://shop.example/p/2');
    expect(safeLinkUrl('HTTP://Shop.Example/p/3')).toBe('http://shop.example/p/3');
    // Protocol-relative: the scheme comes from the pack's, so it is an http(s) link to that host (a navigation,
    // never script).
    expect(safeLinkUrl('//evil.example', BASE)).toBe('https://evil.example/');
    // A link's text cannot break out of an attribute: the parser encodes quotes and angle brackets.
    expect(safeLinkUrl('/p/"><script>', BASE)).toBe('https://shop.example/p/%22%3E%3Cscript%3E');
  });

  it('refuses a path when there is nothing to resolve it against, and what does not parse', () => {
    expect(safeLinkUrl('p/1')).toBeNull();
    expect(safeLinkUrl('//evil.example')).toBeNull();
    expect(safeLinkUrl('p/1', 'blob:hushcart-file/catalog.json')).toBeNull();
    expect(safeLinkUrl('http://[::1', BASE)).toBeNull();
    expect(safeLinkUrl('', BASE)).toBeNull();
    expect(safeLinkUrl(' \t', BASE)).toBeNull();
  });
});

describe('cssUrl', () => {
  it('escapes what could end the CSS string', () => {
    expect(cssUrl('/img/a.png')).toBe('url("/img/a.png")');
    const v = cssUrl('data:image/png,a");background:url("https://evil.example/x');
    expect(v.slice(5, -2)).not.toMatch(/["\n]/);
    expect(v).toBe('url("data:image/png,a\\22 );background:url(\\22 https://evil.example/x")');
  });
});
