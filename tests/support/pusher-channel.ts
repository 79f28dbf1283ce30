// Waits until the reference Pusher server has a subscriber on a channel (its HTTP API, through
// the official SDK), e.g. after conversations.watch, before triggering on that channel.
import type Pusher from 'pusher';

export async function waitForOccupied(pusher: Pusher, channel: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  const occupied = async () => ((await (await pusher.get({ path: `/channels/${channel}` })).json()) as { occupied?: boolean }).occupied === true;
  while (!(await occupied())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for a subscriber on ${channel}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
