import { describe, expect, it } from 'vitest';
import { inviteFromArgv, inviteFromUrl, routeLink } from './invite-link';

const token = 'eyJhbGciOiJIUzI1NiJ9.eyJ3cyI6ImEifQ.c2ln';
const invite = `groundwork://join?relay=${encodeURIComponent('wss://relay.example.com:8443')}&token=${token}`;

describe('inviteFromUrl', () => {
  it('accepts invite links and rebuilds them from relay and token only', () => {
    expect(inviteFromUrl(invite)).toBe(invite);
    expect(inviteFromUrl(`groundwork://join?relay=ws://127.0.0.1:5711&token=${token}`)).toBe(
      `groundwork://join?relay=ws%3A%2F%2F127.0.0.1%3A5711&token=${token}`,
    );
    expect(inviteFromUrl(`  groundwork://join/?token=${token}&relay=wss://r.example&x=1#frag `)).toBe(
      `groundwork://join?relay=wss%3A%2F%2Fr.example&token=${token}`,
    );
    expect(inviteFromUrl(`GROUNDWORK://JOIN?relay=wss://r.example&token=${token}`)).toBe(`groundwork://join?relay=wss%3A%2F%2Fr.example&token=${token}`);
  });

  it('refuses everything else', () => {
    for (const url of [
      'groundwork://app/index.html',
      `groundwork://app/index.html?relay=wss://r.example&token=${token}`,
      `groundwork://join.evil?relay=wss://r.example&token=${token}`,
      `groundwork://user:pw@join?relay=wss://r.example&token=${token}`,
      `groundwork://join:80?relay=wss://r.example&token=${token}`,
      `groundwork://join/other?relay=wss://r.example&token=${token}`,
      `groundwork://join?relay=https://r.example&token=${token}`,
      `groundwork://join?relay=javascript:alert(1)&token=${token}`,
      `groundwork://join?relay=wss://a:b@r.example&token=${token}`,
      `groundwork://join?relay=wss://&token=${token}`,
      'groundwork://join?relay=wss://r.example',
      'groundwork://join?relay=wss://r.example&token=',
      'groundwork://join?relay=wss://r.example&token=a%20b',
      `groundwork://join?token=${token}`,
      `https://join?relay=wss://r.example&token=${token}`,
      `file:///join?relay=wss://r.example&token=${token}`,
      `groundwork://join?relay=wss://r.example&token=${'a'.repeat(5000)}`,
      'not a url',
      '',
    ]) {
      expect(inviteFromUrl(url), url).toBeNull();
    }
  });
});

describe('inviteFromArgv', () => {
  it('finds the link among Electron’s and Chromium’s arguments', () => {
    expect(inviteFromArgv(['C:\\Groundwork\\Groundwork.exe', '--allow-file-access-from-files', invite])).toBe(invite);
    // Windows in dev: execPath, the app path, then the link.
    expect(inviteFromArgv(['electron.exe', 'C:\\src\\groundwork', invite])).toBe(invite);
  });

  it('ignores other arguments and links that are not invites', () => {
    expect(inviteFromArgv(['groundwork', '--data-dir', '/tmp/d'])).toBeNull();
    expect(inviteFromArgv(['groundwork', 'groundwork://app/index.html', 'https://example.com/'])).toBeNull();
    expect(inviteFromArgv([])).toBeNull();
  });
});

describe('routeLink (a link clicked inside the app)', () => {
  it('sends web pages to the browser, invites to the Join form, and everything else nowhere', () => {
    expect(routeLink('https://github.com/acme/site/pull/7')).toEqual({ to: 'browser', url: 'https://github.com/acme/site/pull/7' });
    expect(routeLink('http://localhost:3000/')).toEqual({ to: 'browser', url: 'http://localhost:3000/' });
    expect(routeLink(`${invite}#x`)).toEqual({ to: 'join-form', invite });
    for (const url of ['groundwork://app/index.html', 'groundwork://join?relay=ftp://x&token=t', 'file:///etc/passwd', 'javascript:alert(1)', 'mailto:a@b.c', 'not a url']) {
      expect(routeLink(url), url).toEqual({ to: 'nowhere' });
    }
  });
});
