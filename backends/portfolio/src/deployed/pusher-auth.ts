// POST /api/pusher/auth as deployed: form-encoded socket_id + channel_name; any channel whose
// name contains "admin" needs the admin_session cookie; presence members are {name: 'Admin'}.
// Conversation channels are authorised for anyone (the site does not check who the visitor is).
import type Pusher from 'pusher';
import { adminFrom, type Handler } from './context';
import { readForm, sendJson } from './http';

export function pusherAuthHandler(pusher: Pusher): Handler {
  return async (ctx, req, res) => {
    let socketId: string;
    let channel: string;
    try {
      const form = await readForm(req);
      socketId = form.get('socket_id') ?? '';
      channel = form.get('channel_name') ?? '';
    } catch (err) {
      // request.formData() throws on JSON or a missing content type; the route's catch answers 500.
      ctx.log(`pusher auth: unreadable body: ${(err as Error).message}`);
      sendJson(res, 500, { error: 'Authentication failed' });
      return;
    }
    try {
      const presence = channel.startsWith('presence-');
      if (channel.includes('admin')) {
        const userId = await adminFrom(ctx, req);
        if (userId === null) {
          sendJson(res, 403, { error: 'Unauthorized' });
          return;
        }
        const auth = presence
          ? pusher.authorizeChannel(socketId, channel, { user_id: String(userId), user_info: { name: 'Admin' } })
          : pusher.authorizeChannel(socketId, channel);
        sendJson(res, 200, auth);
        return;
      }
      const auth = presence
        ? pusher.authorizeChannel(socketId, channel, { user_id: `visitor-${socketId}`, user_info: { name: 'Visitor' } })
        : pusher.authorizeChannel(socketId, channel);
      sendJson(res, 200, auth);
    } catch (err) {
      // The SDK rejects a malformed socket_id or channel name.
      ctx.log(`pusher auth failed: ${(err as Error).message}`);
      sendJson(res, 500, { error: 'Authentication failed' });
    }
  };
}
