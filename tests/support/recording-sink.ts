// A ConnectorSink that keeps every call, in order, for unit tests of a connector (every kind's).
// `overrides` replace single methods (a sink that throws, or answers).
import type { ConnectorSink } from '../../src/main/core/connectors/connector';

export type SinkCall = [method: keyof ConnectorSink, ...args: unknown[]];

export function recordingSink(overrides: Partial<ConnectorSink> = {}): {
  sink: ConnectorSink;
  calls: SinkCall[];
  /** The same list as `calls`. */
  events: SinkCall[];
  of: (method: keyof ConnectorSink) => unknown[][];
  clear: () => void;
} {
  const calls: SinkCall[] = [];
  const rec =
    (method: keyof ConnectorSink) =>
    (...args: unknown[]) => {
      // Trailing undefined arguments (an absent detail) are dropped so calls compare by what was said.
      while (args.length > 0 && args.at(-1) === undefined) args.pop();
      calls.push([method, ...args]);
    };
  const sink: ConnectorSink = {
    link: rec('link'),
    gap: rec('gap'),
    conversation: rec('conversation'),
    patch: rec('patch'),
    stale: rec('stale'),
    messages: rec('messages'),
    edited: rec('edited'),
    deleted: rec('deleted'),
    feed: rec('feed'),
    read: rec('read'),
    typing: rec('typing'),
    visitorOnline: rec('visitorOnline'),
    warn: rec('warn'),
    aiReplies: rec('aiReplies'),
    ...overrides,
  };
  return {
    sink,
    calls,
    events: calls,
    of: (method) => calls.filter((c) => c[0] === method).map((c) => c.slice(1)),
    clear: () => calls.splice(0),
  };
}
