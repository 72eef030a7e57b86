import { describe, expect, it } from 'vitest';
import { isTrustedFrame, originOf } from './trusted-frame';

const app = ['groundwork://app'];
const dev = ['groundwork://app', 'http://localhost:5173'];
const ours = { isMainFrame: true, isOurWindow: true };

describe('isTrustedFrame', () => {
  it('accepts the main frame of our window on our pages', () => {
    expect(isTrustedFrame({ url: 'groundwork://app/index.html', ...ours }, app)).toBe(true);
    expect(isTrustedFrame({ url: 'groundwork://app/#/projects/1', ...ours }, app)).toBe(true);
    expect(isTrustedFrame({ url: 'http://localhost:5173/', ...ours }, dev)).toBe(true);
  });

  it('refuses a missing frame (senderFrame null: navigated away or destroyed)', () => {
    expect(isTrustedFrame(null, app)).toBe(false);
  });

  it('refuses subframes and frames of windows that are not ours', () => {
    expect(isTrustedFrame({ url: 'groundwork://app/index.html', isMainFrame: false, isOurWindow: true }, app)).toBe(false);
    expect(isTrustedFrame({ url: 'groundwork://app/index.html', isMainFrame: true, isOurWindow: false }, app)).toBe(false);
  });

  it('refuses other origins, look-alikes and unparsable URLs', () => {
    for (const url of [
      'https://evil.example/',
      'file:///home/u/out/renderer/index.html',
      'groundwork://app.evil/index.html',
      'groundwork://evil/index.html',
      'groundwork://user:pw@app/index.html',
      'http://localhost:5174/',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<script>1</script>',
      'not a url',
      '',
    ]) {
      expect(isTrustedFrame({ url, ...ours }, app), url).toBe(false);
    }
    expect(isTrustedFrame({ url: 'http://127.0.0.1:5173/', ...ours }, dev)).toBe(false);
  });
});

describe('originOf', () => {
  it('keeps scheme, host and port of hierarchical URLs', () => {
    expect(originOf('groundwork://app/a/b?x#y')).toBe('groundwork://app');
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
    expect(originOf('file:///x')).toBeNull();
  });
});
