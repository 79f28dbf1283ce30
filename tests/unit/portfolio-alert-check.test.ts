// Which alerts of an open conversation announce a message its channel never delivered (see
// src/main/core/connectors/portfolio/alert-check.ts; the integration test is
// tests/integration/open-conversation-alert.test.ts).
import { describe, expect, it } from 'vitest';
import { AlertCheck, MAX_AWAITING, MAX_WAIT_MS } from '../../src/main/core/connectors/portfolio/alert-check';

describe('AlertCheck', () => {
  it('matches an alert to the delivered message its preview begins, once', () => {
    const check = new AlertCheck();
    check.delivered('7', 'first message of the day');
    check.delivered('7', 'second one');
    expect(check.alerted('7', 'second')).toBe(true);
    expect(check.alerted('7', 'second')).toBe(false); // its message was delivered once, announced once
    expect(check.alerted('7', 'first message')).toBe(true);
  });

  it('an alert with no delivered message, or another conversation’s, or another text, is not matched', () => {
    const check = new AlertCheck();
    expect(check.alerted('7', 'anything')).toBe(false);
    check.delivered('8', 'hello');
    expect(check.alerted('7', 'hello')).toBe(false);
    expect(check.alerted('8', 'goodbye')).toBe(false);
    expect(check.alerted('8', 'hello')).toBe(true);
  });

  it('an alert without a preview takes the oldest delivered message', () => {
    const check = new AlertCheck();
    check.delivered('7', 'a');
    check.delivered('7', 'b');
    expect(check.alerted('7', undefined)).toBe(true);
    expect(check.alerted('7', 'a')).toBe(false);
    expect(check.alerted('7', 'b')).toBe(true);
  });

  it('a preview cut inside an emoji still matches its text', () => {
    const check = new AlertCheck();
    const text = `${'x'.repeat(49)}😀 and more`;
    check.delivered('7', text);
    expect(check.alerted('7', text.substring(0, 50))).toBe(true);
  });

  it('keeps at most MAX_AWAITING per conversation (a site that sends no alerts), dropping the oldest', () => {
    const check = new AlertCheck();
    for (let i = 0; i <= MAX_AWAITING; i++) check.delivered('7', `message ${i}.`);
    expect(check.alerted('7', 'message 0.')).toBe(false);
    expect(check.alerted('7', `message ${MAX_AWAITING}.`)).toBe(true);
  });

  it('forgets a conversation, or all of them', () => {
    const check = new AlertCheck();
    check.delivered('7', 'a');
    check.delivered('8', 'b');
    check.forget('7');
    expect(check.alerted('7', 'a')).toBe(false);
    check.forget();
    expect(check.alerted('8', 'b')).toBe(false);
  });

  it('a delivered message waits MAX_WAIT_MS for its alert at most (its alert came first and was fetched)', () => {
    let now = 1_000;
    const check = new AlertCheck(() => now);
    check.delivered('7', 'hello');
    now += MAX_WAIT_MS;
    check.delivered('7', 'later');
    expect(check.alerted('7', 'hello')).toBe(true); // exactly MAX_WAIT_MS: still waiting
    check.delivered('7', 'hello');
    now += 1;
    expect(check.alerted('7', 'hello')).toBe(true); // the newer one, still within its wait
    now += MAX_WAIT_MS;
    expect(check.alerted('7', 'later')).toBe(false); // waited too long: the alert is fetched
    expect(check.alerted('7', undefined)).toBe(false);
  });
});
