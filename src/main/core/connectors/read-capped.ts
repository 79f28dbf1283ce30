// Reading an HTTP answer without trusting its size: every kind's REST client reads through this.

/**
 * The largest answer read, counted after decompression: a page of 100 long messages fits many
 * times over, and a gzip bomb (a few KB that inflate to gigabytes) is refused at this size.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class TooLarge extends Error {}

/** The body as text, refusing to hold more than `limit` bytes of it. */
export async function readCapped(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  // Content-Length counts the compressed bytes; the decoded ones are counted while reading.
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
