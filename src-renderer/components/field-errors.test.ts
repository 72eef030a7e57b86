import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-main/contract';
import { fieldErrors } from './field-errors';

describe('fieldErrors', () => {
  it('places zod issues by the first path segment', () => {
    const error = new ApiError('VALIDATION', 'Invalid input to sync.join: invite: must be an invite link', {
      field: 'invite',
      issues: [{ path: 'invite', message: 'must be an invite link starting with groundwork://join?' }],
    });
    expect(fieldErrors(error)).toEqual({ invite: 'must be an invite link starting with groundwork://join?' });
  });

  it("places a handler's own check by its `field`, without the field prefix", () => {
    const error = new ApiError('VALIDATION', 'invite: must look like groundwork://join?relay=ws://…&token=…', { field: 'invite' });
    expect(fieldErrors(error)).toEqual({ invite: 'must look like groundwork://join?relay=ws://…&token=…' });
  });

  it('puts what it cannot place under _form, and ignores other codes', () => {
    expect(fieldErrors(new ApiError('VALIDATION', 'bad'))).toEqual({ _form: 'bad' });
    expect(fieldErrors(new ApiError('FORBIDDEN', 'no', { field: 'invite' }))).toEqual({});
  });
});
