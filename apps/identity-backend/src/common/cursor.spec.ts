import { decodeCursor, encodeCursor } from './cursor';

describe('pagination cursor', () => {
  it('round-trips', () => {
    const cursor = { value: '2026-01-01T00:00:00.000Z', id: '0b4f5a9e-8a7c-4a53-9a53-0f5d3e0e8f11' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'not-base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["x","not-a-uuid"]').toString('base64url'),
  ])('rejects %p with invalid_cursor', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(expect.objectContaining({ code: 'invalid_cursor', status: 400 }));
  });
});
