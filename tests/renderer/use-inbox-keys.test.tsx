// The inbox's keyboard shortcuts, as keydown events on the window reach them.
import { renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useInboxKeys, type InboxKeyActions } from '../../src/renderer/src/hooks/useInboxKeys';

function setUp(blocked = false) {
  const actions = {
    blocked,
    search: vi.fn(),
    settings: vi.fn(),
    leave: vi.fn(),
    move: vi.fn(),
    open: vi.fn(),
    reply: vi.fn(),
    resolve: vi.fn(),
    close: vi.fn(),
    help: vi.fn(),
  } satisfies InboxKeyActions;
  const hook = renderHook((a: InboxKeyActions) => useInboxKeys(a), { initialProps: actions });
  const called = () =>
    Object.entries(actions)
      .filter(([, f]) => typeof f === 'function' && f.mock.calls.length > 0)
      .map(([name, f]) => (name === 'move' ? `move(${(f as typeof actions.move).mock.calls.map((c) => c[0]).join(',')})` : name));
  return { actions, hook, called };
}

/** Dispatches a keydown on `target` (the window by default); returns whether the default was prevented. */
function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = window): boolean {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

function field(tag: 'input' | 'textarea' | 'select' | 'div' | 'button' | 'a', editable = false): HTMLElement {
  const el = document.createElement(tag);
  if (editable) el.contentEditable = 'true';
  if (tag === 'a') el.setAttribute('href', '#');
  document.body.append(el);
  return el;
}

describe('useInboxKeys', () => {
  it('single keys move, open, reply, resolve, close and show the help, each taking the key', () => {
    const { called } = setUp();
    for (const key of ['j', 'ArrowDown', 'k', 'ArrowUp']) expect(press(key)).toBe(true);
    expect(called()).toEqual(['move(1,1,-1,-1)']);
    for (const key of ['Enter', 'r', 'e', 'c', '?']) expect(press(key)).toBe(true);
    expect(called()).toEqual(['move(1,1,-1,-1)', 'open', 'reply', 'resolve', 'close', 'help']);
    expect(press('x')).toBe(false);
    expect(press('J')).toBe(false);
  });

  it('Ctrl or Cmd with K searches and with a comma opens the settings, even in a text field or behind a dialog', () => {
    const { called, actions } = setUp(true);
    const input = field('input');
    expect(press('k', { ctrlKey: true }, input)).toBe(true);
    expect(press('K', { metaKey: true })).toBe(true);
    expect(press(',', { ctrlKey: true })).toBe(true);
    expect(press(',', { metaKey: true }, input)).toBe(true);
    expect(actions.search).toHaveBeenCalledTimes(2);
    expect(actions.settings).toHaveBeenCalledTimes(2);
    expect(called()).toEqual(['search', 'settings']);
    expect(press('k', { altKey: true })).toBe(false);
    expect(press(',')).toBe(false);
    input.remove();
  });

  it('behind a dialog nothing else works', () => {
    const { called } = setUp(true);
    for (const key of ['j', 'Escape', 'Enter', 'r', '?']) expect(press(key)).toBe(false);
    expect(called()).toEqual([]);
  });

  it('Escape leaves the conversation, or leaves the text field it was pressed in', () => {
    const { called } = setUp();
    press('Escape');
    expect(called()).toEqual(['leave']);
    for (const el of [field('input'), field('textarea'), field('select'), field('div', true)]) {
      el.tabIndex = 0;
      el.focus();
      expect(document.activeElement).toBe(el);
      press('Escape', {}, el);
      expect(document.activeElement).not.toBe(el);
      el.remove();
    }
    expect(called()).toEqual(['leave']);
  });

  it('typing in a text field, or with Ctrl, Cmd or Alt held, is not a shortcut', () => {
    const { called } = setUp();
    for (const el of [field('input'), field('textarea'), field('select'), field('div', true)]) {
      expect(press('r', {}, el)).toBe(false);
      expect(press('j', {}, el)).toBe(false);
      el.remove();
    }
    expect(press('r', { ctrlKey: true })).toBe(false);
    expect(press('r', { metaKey: true })).toBe(false);
    expect(press('r', { altKey: true })).toBe(false);
    const plain = field('div');
    expect(press('r', {}, plain)).toBe(true);
    plain.remove();
    expect(called()).toEqual(['reply']);
  });

  it('a focused button or link keeps Enter and Space; other keys still work there', () => {
    const { called } = setUp();
    const button = field('button');
    const inner = document.createElement('span');
    button.append(inner);
    const link = field('a');
    const role = field('div');
    role.setAttribute('role', 'button');
    for (const el of [button, inner, link, role]) {
      expect(press('Enter', {}, el)).toBe(false);
      expect(press(' ', {}, el)).toBe(false);
    }
    expect(called()).toEqual([]);
    expect(press('e', {}, button)).toBe(true);
    expect(press('Enter', {}, field('div'))).toBe(true);
    expect(called()).toEqual(['open', 'resolve']);
    for (const el of [button, link, role]) el.remove();
  });

  it('a key another handler already took is left alone', () => {
    const { called } = setUp();
    const el = field('div');
    el.addEventListener('keydown', (e) => e.preventDefault());
    press('r', {}, el);
    press('k', { ctrlKey: true }, el);
    expect(called()).toEqual([]);
    el.remove();
  });

  it('uses the latest actions and stops listening when unmounted', () => {
    const { hook, actions } = setUp();
    const reply = vi.fn();
    hook.rerender({ ...actions, reply });
    press('r');
    expect(reply).toHaveBeenCalledTimes(1);
    expect(actions.reply).not.toHaveBeenCalled();
    hook.rerender({ ...actions, reply, blocked: true });
    press('r');
    expect(reply).toHaveBeenCalledTimes(1);
    hook.unmount();
    press('k', { ctrlKey: true });
    expect(actions.search).not.toHaveBeenCalled();
  });
});
