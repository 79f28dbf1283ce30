// The few strings the notification center writes itself. They are shown by the OS, outside
// the renderer, so they cannot come from the renderer's i18next catalogues.
import type { NotificationPrefs } from './types';

export type HoldCause = 'quiet-hours' | 'dnd';

export interface NotificationTexts {
  /** Title for a visitor without a name. */
  visitorFallback: string;
  /** Marks a visitor name that could pass for the owner ("Admin (You) (visitor)"). */
  visitorTag: string;
  /** Body for a message with no text (an attachment, or only whitespace). */
  emptyMessage: string;
  newMessages(count: number): string;
  summaryTitle(cause: HoldCause): string;
  summaryBody(messages: number, visitors: number): string;
  testTitle: string;
  /** The body of one notification standing for several new feed entries. */
  feedMore(count: number): string;
  testBody: string;
  /** Titles of an agent's run ending, before the conversation's name. */
  agentEnd(end: 'finished' | 'failed' | 'stuck', name: string): string;
  /** An agent finished with no answer text. */
  agentNoText: string;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

const en: NotificationTexts = {
  visitorFallback: 'Anonymous',
  visitorTag: 'visitor',
  emptyMessage: 'New message',
  newMessages: (count) => plural(count, 'new message', 'new messages'),
  summaryTitle: (cause) => (cause === 'quiet-hours' ? 'While quiet hours were on' : 'While do not disturb was on'),
  summaryBody: (messages, visitors) => `${plural(messages, 'message', 'messages')} from ${plural(visitors, 'visitor', 'visitors')}`,
  testTitle: 'Notifications work',
  feedMore: (count) => `${count} new notifications`,
  testBody: 'This is how a visitor’s message will look and sound.',
  agentEnd: (end, name) => (end === 'finished' ? `Agent finished: ${name}` : end === 'failed' ? `Agent failed: ${name}` : `Agent is stuck: ${name}`),
  agentNoText: 'The agent has stopped.',
};

// Indonesian nouns do not inflect for number after a numeral.
const id: NotificationTexts = {
  visitorFallback: 'Anonim',
  visitorTag: 'pengunjung',
  emptyMessage: 'Pesan baru',
  newMessages: (count) => `${count} pesan baru`,
  summaryTitle: (cause) => (cause === 'quiet-hours' ? 'Selama jam tenang aktif' : 'Selama mode jangan ganggu aktif'),
  summaryBody: (messages, visitors) => `${messages} pesan dari ${visitors} pengunjung`,
  testTitle: 'Notifikasi berfungsi',
  feedMore: (count) => `${count} notifikasi baru`,
  testBody: 'Seperti inilah tampilan dan bunyi pesan dari pengunjung.',
  agentEnd: (end, name) => (end === 'finished' ? `Agen selesai: ${name}` : end === 'failed' ? `Agen gagal: ${name}` : `Agen macet: ${name}`),
  agentNoText: 'Agen telah berhenti.',
};

export function textsFor(language: NotificationPrefs['language']): NotificationTexts {
  return language === 'id' ? id : en;
}
