import { describe, expect, it } from 'vitest';
import { classifySendFailure } from './outbox-failures.ts';

/** Errors shaped as Nodemailer reports them (code, command, responseCode, originalCode, timeoutType). */
function smtpError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('send failed'), fields);
}

describe('what a failed send proves', () => {
  it('a refusal of the recipient or the message for good is permanent', () => {
    expect(classifySendFailure(smtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 }))).toBe(
      'permanent',
    );
    expect(classifySendFailure(smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 554 }))).toBe('permanent');
    expect(classifySendFailure(smtpError({ code: 'EENVELOPE', command: 'API' }))).toBe('permanent');
  });

  it('a 4xx reply, even to the final dot, proves the relay did not take it, so it is retried', () => {
    expect(classifySendFailure(smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 451 }))).toBe('temporary');
    expect(classifySendFailure(smtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 452 }))).toBe(
      'temporary',
    );
    expect(classifySendFailure(smtpError({ code: 'ECONNECTION', command: 'CONN', responseCode: 421 }))).toBe(
      'temporary',
    );
  });

  it('a refused session (credentials, sender) is retried rather than failing the message', () => {
    expect(classifySendFailure(smtpError({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }))).toBe(
      'temporary',
    );
    expect(classifySendFailure(smtpError({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 550 }))).toBe(
      'temporary',
    );
  });

  it('a connection that never reached the greeting sent nothing', () => {
    expect(classifySendFailure(smtpError({ code: 'ESOCKET', command: 'CONN', originalCode: 'ECONNREFUSED' }))).toBe(
      'temporary',
    );
    expect(
      classifySendFailure(smtpError({ code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'GREETING_TIMEOUT' })),
    ).toBe('temporary');
    expect(classifySendFailure(smtpError({ code: 'EDNS' }))).toBe('temporary');
  });

  it('a connection lost or timed out mid-conversation may have delivered the message', () => {
    expect(classifySendFailure(smtpError({ code: 'ESOCKET', command: 'CONN', originalCode: 'ECONNRESET' }))).toBe(
      'unknown',
    );
    expect(classifySendFailure(smtpError({ code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'SOCKET_TIMEOUT' }))).toBe(
      'unknown',
    );
    expect(classifySendFailure(smtpError({ code: 'ECONNECTION', command: 'CONN' }))).toBe('unknown');
  });

  it('an error from anything but Nodemailer proves nothing', () => {
    expect(classifySendFailure(new Error('boom'))).toBe('unknown');
    expect(classifySendFailure('boom')).toBe('unknown');
    expect(classifySendFailure(undefined)).toBe('unknown');
  });
});
