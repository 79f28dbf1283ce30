// The seed's §10.1 unit test, as written (only the import path adapted).
// __tests__/chat/sendMessage.test.ts
import { describe, it, expect } from 'vitest';
import { sendMessageSchema } from '../src/api/validation';

describe('sendMessageSchema', () => {
  it('should validate valid message', () => {
    const result = sendMessageSchema.safeParse({
      content: 'Hello world',
    });
    expect(result.success).toBe(true);
  });

  it('should reject empty message', () => {
    const result = sendMessageSchema.safeParse({
      content: '',
    });
    expect(result.success).toBe(false);
  });
});
