import { describe, expect, it } from 'vitest';
import { ApiError, calendarDay, inputs, projectKey } from '../../src-main/contract';
import { checkField, fieldErrors, plainMessage } from './field-errors';

describe('fieldErrors', () => {
  it('places zod issues by the first path segment', () => {
    const error = new ApiError('VALIDATION', 'Invalid input to sync.join: invite: must be an invite link', {
      field: 'invite',
      issues: [{ path: 'invite', message: 'must be an invite link starting with groundwork://join?' }],
    });
    expect(fieldErrors(error)).toEqual({ invite: 'Must be an invite link starting with groundwork://join?' });
  });

  it("places a handler's own check by its `field`, without the field prefix", () => {
    const error = new ApiError('VALIDATION', 'invite: must look like groundwork://join?relay=ws://…&token=…', { field: 'invite' });
    expect(fieldErrors(error)).toEqual({ invite: 'Must look like groundwork://join?relay=ws://…&token=…' });
  });

  it('puts what it cannot place under _form, and ignores other codes', () => {
    expect(fieldErrors(new ApiError('VALIDATION', 'bad'))).toEqual({ _form: 'bad' });
    expect(fieldErrors(new ApiError('FORBIDDEN', 'no', { field: 'invite' }))).toEqual({});
    expect(fieldErrors(new ApiError('CONFLICT', 'taken'))).toEqual({});
  });
});

describe('plain words beside a field', () => {
  it("turns the core's developer text into what a person reads", () => {
    const error = new ApiError('VALIDATION', 'Invalid input to tasks.update: estimateHours: Too small: expected number to be >=0', {
      field: 'estimateHours',
      issues: [{ path: 'estimateHours', message: 'Too small: expected number to be >=0' }],
    });
    expect(fieldErrors(error)).toEqual({ estimateHours: "Estimate can't be negative" });
    expect(plainMessage('title', { message: 'Too big: expected string to have <=500 characters' })).toBe('Title is at most 500 characters');
    expect(plainMessage('name', { message: 'must not be empty' })).toBe("Name can't be empty");
    expect(plainMessage('endDate', { message: 'endDate must not be before startDate' })).toBe("End date can't be before the start date");
  });

  it("maps a form's own check with the contract's schema the same way", () => {
    expect(checkField('estimateHours', inputs.tasks.update.shape.estimateHours, -1)).toBe("Estimate can't be negative");
    expect(checkField('estimateHours', inputs.tasks.update.shape.estimateHours, 4)).toBeNull();
    expect(checkField('dueDate', calendarDay, '0002-07-15')).toBe('Due date must be a date between 1900-01-01 and 2999-12-31');
    expect(checkField('dueDate', calendarDay, '2025-7-15')).toBe('Due date must be a full date, like 2025-07-15');
    expect(checkField('key', projectKey, 'W-1')).toBe('Key must be 2–10 letters or digits, starting with a letter');
  });

  it("places the core's CONFLICT on a taken key on the Key field", () => {
    const error = new ApiError('CONFLICT', 'key: another project already uses the key WEB', { field: 'key' });
    expect(fieldErrors(error)).toEqual({ key: 'Key WEB is already used by another project' });
  });
});
