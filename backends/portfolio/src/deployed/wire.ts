// The JSON shapes the deployed site answers with (backends.md §1 "As deployed").
import type { ChatSettingsRow, DeployedConversationRow, DeployedMessageRow, DeployedStore } from './store';

export interface DeployedMessageJson {
  id: number;
  conversationId: number;
  senderId: number | null;
  senderType: 'visitor' | 'admin' | 'ai';
  content: string;
  isRead: boolean;
  createdAt: string;
}

export function messageJson(r: DeployedMessageRow): DeployedMessageJson {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    senderId: r.sender_id,
    senderType: r.sender_type,
    content: r.content,
    isRead: r.is_read === 1,
    createdAt: r.created_at,
  };
}

/** The `new-message` event: the message without isRead. */
export function newMessageEvent(r: DeployedMessageRow): Record<string, unknown> {
  return { id: r.id, conversationId: r.conversation_id, content: r.content, senderType: r.sender_type, senderId: r.sender_id, createdAt: r.created_at };
}

/** A conversation row as PATCH answers it. */
export function conversationRowJson(c: DeployedConversationRow): Record<string, unknown> {
  return {
    id: c.id,
    visitorId: c.visitor_id,
    visitorName: c.visitor_name,
    visitorEmail: c.visitor_email,
    status: c.status,
    lastMessageAt: c.last_message_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

/** A list entry: the row plus unreadCount and `messages: [<last message>]`. */
export function conversationListJson(store: DeployedStore, c: DeployedConversationRow): Record<string, unknown> {
  const last = store.lastMessage(c.id);
  return { ...conversationRowJson(c), unreadCount: store.unreadCount(c.id), messages: last ? [messageJson(last)] : [] };
}

export function settingsJson(s: ChatSettingsRow): Record<string, unknown> {
  return {
    id: s.id,
    aiEnabled: s.ai_enabled === 1,
    aiModel: s.ai_model,
    aiTemperature: s.ai_temperature,
    systemPrompt: s.system_prompt,
    autoReplyDelay: s.auto_reply_delay,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}
