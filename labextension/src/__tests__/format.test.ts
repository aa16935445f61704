/**
 * The pure helpers of format.ts, run by Node's own test runner (`jlpm test`): what the status
 * bar, the countdown and the snippet show, and which links a button may open.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';

import {
  NOTIFICATION_LIMIT,
  formatCountdown,
  formatDuration,
  safeLink,
  secondsUntil,
  sessionSnippet,
  shorten
} from '../format';

describe('formatDuration', () => {
  test('hours keep two-digit minutes', () => {
    assert.equal(formatDuration(7 * 3600 + 12 * 60 + 59), '7h12m');
    assert.equal(formatDuration(3600), '1h00m');
  });
  test('under an hour: minutes, then seconds', () => {
    assert.equal(formatDuration(14 * 60 + 30), '14m');
    assert.equal(formatDuration(42.9), '42s');
  });
  test('nothing left is 0s, never negative', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(-90), '0s');
  });
});

describe('formatCountdown', () => {
  test('minutes and two-digit seconds', () => {
    assert.equal(formatCountdown(598), '9:58');
    assert.equal(formatCountdown(61.7), '1:01');
  });
  test('past an hour, hours first', () => {
    assert.equal(formatCountdown(3723), '1:02:03');
  });
  test('an expired code counts 0:00', () => {
    assert.equal(formatCountdown(-5), '0:00');
  });
});

describe('secondsUntil', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  test('an ISO time, from now', () => {
    assert.equal(secondsUntil('2026-01-01T12:10:00Z', now), 600);
    assert.equal(secondsUntil('2026-01-01T11:59:30+00:00', now), -30);
  });
  test('no time, or one that does not parse, is null', () => {
    assert.equal(secondsUntil(null, now), null);
    assert.equal(secondsUntil('', now), null);
    assert.equal(secondsUntil('soon', now), null);
  });
});

describe('safeLink', () => {
  test('http(s) links pass, normalised', () => {
    assert.equal(
      safeLink(
        'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH'
      ),
      'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH'
    );
    assert.equal(safeLink('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/');
  });
  test('any other scheme, a relative link or nothing is refused', () => {
    assert.equal(safeLink('javascript:alert(1)'), null);
    assert.equal(safeLink('JAVASCRIPT:alert(1)'), null);
    assert.equal(safeLink('data:text/html,<b>x</b>'), null);
    assert.equal(safeLink('/verify'), null);
    assert.equal(safeLink(''), null);
    assert.equal(safeLink(null), null);
    assert.equal(safeLink(undefined), null);
  });
});

describe('sessionSnippet', () => {
  test('a plain profile name stands as it is', () => {
    assert.equal(
      sessionSnippet('ai-dev'),
      '%load_ext ipyawssso\n%aws_sso use ai-dev'
    );
  });
  test('other names are quoted, quotes and backslashes escaped', () => {
    assert.equal(
      sessionSnippet('my profile'),
      '%load_ext ipyawssso\n%aws_sso use "my profile"'
    );
    assert.equal(
      sessionSnippet('a"b\\c'),
      '%load_ext ipyawssso\n%aws_sso use "a\\"b\\\\c"'
    );
  });
});

describe('shorten', () => {
  test('a message that fits is whole', () => {
    assert.equal(shorten('AWS SSO: signed in.'), 'AWS SSO: signed in.');
    const exact = 'x'.repeat(NOTIFICATION_LIMIT);
    assert.equal(shorten(exact), exact);
  });
  test('a long one is cut at a word, with an ellipsis, within the limit', () => {
    const words = 'The profile nope is not in /home/u/.aws/config. '.repeat(6);
    const short = shorten(words);
    assert.ok(short.length <= NOTIFICATION_LIMIT, short);
    assert.ok(short.endsWith('…'));
    assert.ok(words.startsWith(short.slice(0, -1)));
    assert.equal(words[short.length - 1], ' ', 'the cut falls before a space');
  });
  test('one very long word is cut at the limit', () => {
    const short = shorten('y'.repeat(500), 20);
    assert.equal(short, `${'y'.repeat(19)}…`);
  });
});
