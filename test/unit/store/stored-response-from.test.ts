import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/http/errors.js';
import { storedResponseFrom } from '../../../src/store/stored-response-from.js';
import { responseRecord } from '../../integration/store/response-fixtures.js';

describe('storedResponseFrom', () => {
  it('takes id, model, status, previous_response_id, instructions and output from the response object', () => {
    const expected = responseRecord({ previousResponseId: 'resp_prev', instructions: 'be brief', ownerId: 'key_1', store: true });
    const built = storedResponseFrom(expected.response, {
      inputItems: expected.inputItems,
      ownerId: 'key_1',
      store: true,
      savedAt: expected.createdAt,
    });
    expect(built).toEqual(expected);
  });

  it('refuses a response without a status', () => {
    const { response, inputItems } = responseRecord();
    const { status: _status, ...withoutStatus } = response;
    expect(() => storedResponseFrom(withoutStatus, { inputItems, ownerId: null, store: true, savedAt: 0 })).toThrow(InternalError);
  });
});
