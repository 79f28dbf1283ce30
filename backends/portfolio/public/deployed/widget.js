// The deployed site's chat widget: a random visitor id in localStorage, POST /api/chat/send,
// the whole history from GET /api/chat/messages, private-conversation-{id} over Pusher with
// new-message (visitor | admin | ai) and ai-typing. The Pusher key and cluster are baked into
// the page, like NEXT_PUBLIC_* variables. Text is rendered with textContent, never as HTML.
(function () {
  'use strict';

  const VISITOR_KEY = 'chat_visitor_id';
  const CONVERSATION_KEY = 'chat_conversation_id';
  const config = JSON.parse(document.getElementById('chat-config').textContent || '{}');

  const el = {
    toggle: document.getElementById('chat-toggle'),
    unread: document.getElementById('chat-unread'),
    window: document.getElementById('chat-window'),
    close: document.getElementById('chat-close'),
    status: document.getElementById('chat-status'),
    list: document.getElementById('chat-messages'),
    typing: document.getElementById('chat-typing'),
    error: document.getElementById('chat-error'),
    form: document.getElementById('chat-form'),
    input: document.getElementById('chat-input'),
  };

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    return String(Date.now()) + '-' + Math.random().toString(16).slice(2);
  }

  const state = {
    isOpen: false,
    unread: 0,
    visitorId: window.localStorage.getItem(VISITOR_KEY) || newId(),
    conversationId: Number(window.localStorage.getItem(CONVERSATION_KEY)) || null,
    pusher: null,
    channel: null,
    byId: new Map(),
    loaded: false,
  };
  window.localStorage.setItem(VISITOR_KEY, state.visitorId);

  function setStatus(text) {
    el.status.textContent = text;
  }
  function showError(text) {
    el.error.textContent = text || '';
    el.error.hidden = !text;
  }
  function formatTime(iso) {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function render(li, m) {
    li.className = 'msg ' + (m.senderType === 'visitor' ? 'visitor' : m.senderType === 'ai' ? 'ai' : 'admin') + (m.failed ? ' failed' : '');
    li.dataset.sender = m.senderType;
    li.dataset.state = m.failed ? 'failed' : m.pending ? 'sending' : 'sent';
    if (m.id) li.dataset.id = String(m.id);
    li.replaceChildren();
    if (m.senderType === 'ai') {
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = 'Assistant';
      li.appendChild(who);
    }
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = m.content;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.setAttribute('data-testid', 'message-state');
    meta.textContent = m.failed ? 'Not sent — tap to retry' : m.pending ? 'Sending…' : formatTime(m.createdAt);
    li.append(text, meta);
    li._message = m;
  }

  /** Adds or updates a message by id; a visitor message from the server claims the pending bubble with its text. */
  function upsert(m) {
    let li = m.id ? state.byId.get(m.id) : null;
    if (!li && m.id && m.senderType === 'visitor') {
      for (const node of el.list.children) {
        if (node._message && node._message.pending && !node._message.id && node._message.content === m.content) {
          li = node;
          break;
        }
      }
    }
    if (li) {
      render(li, Object.assign({}, li._message, m, { pending: false, failed: false }));
    } else {
      li = document.createElement('li');
      li.setAttribute('data-testid', 'message');
      render(li, m);
      el.list.appendChild(li);
    }
    if (m.id) state.byId.set(m.id, li);
    el.list.scrollTop = el.list.scrollHeight;
    return li;
  }

  function setUnread(n) {
    state.unread = n;
    el.unread.textContent = n > 9 ? '9+' : String(n);
    el.unread.hidden = n === 0;
  }

  async function loadHistory() {
    if (!state.conversationId) return;
    const url = '/api/chat/messages?conversationId=' + state.conversationId + '&visitorId=' + encodeURIComponent(state.visitorId);
    const res = await fetch(url);
    if (res.status === 404) {
      // The conversation is gone: start a new one with the next message.
      state.conversationId = null;
      window.localStorage.removeItem(CONVERSATION_KEY);
      return;
    }
    const body = await res.json();
    if (body && body.success) body.data.forEach(upsert);
  }

  function client() {
    if (!state.pusher && typeof Pusher === 'function' && config.pusherKey) {
      const options = { cluster: config.pusherCluster, authEndpoint: '/api/pusher/auth', forceTLS: !!config.forceTLS, disableStats: true };
      if (config.wsHost) Object.assign(options, { wsHost: config.wsHost, wsPort: config.wsPort, wssPort: config.wsPort, enabledTransports: ['ws', 'wss'] });
      state.pusher = new Pusher(config.pusherKey, options);
      state.pusher.connection.bind('state_change', function (s) {
        setStatus(s.current === 'connected' ? 'Online' : s.current === 'connecting' ? 'Connecting…' : 'Offline — reconnecting');
        // No catch-up cursor on this site: a reconnect reloads the whole history.
        if (s.current === 'connected' && s.previous !== 'initialized') void loadHistory();
      });
    }
    return state.pusher;
  }

  function subscribe() {
    const c = client();
    if (!c || state.channel || !state.conversationId) return;
    const channel = c.subscribe('private-conversation-' + state.conversationId);
    state.channel = channel;
    channel.bind('new-message', function (m) {
      upsert(m);
      if (m.senderType !== 'visitor') {
        if (m.senderType === 'admin') el.typing.hidden = true;
        if (!state.isOpen) setUnread(state.unread + 1);
      }
    });
    channel.bind('ai-typing', function (d) {
      el.typing.textContent = 'Assistant is typing…';
      el.typing.hidden = !(d && d.isTyping);
    });
    channel.bind('client-typing', function (d) {
      if (!d || d.senderType !== 'admin') return;
      el.typing.textContent = 'Typing…';
      el.typing.hidden = !d.isTyping;
    });
  }

  async function init() {
    if (state.loaded) return;
    state.loaded = true;
    try {
      await loadHistory();
      setStatus(client() ? 'Online' : 'Offline');
      subscribe();
    } catch {
      state.loaded = false;
      setStatus('Offline');
      showError('Chat is unavailable right now.');
    }
  }

  async function deliver(li) {
    const m = li._message;
    render(li, Object.assign({}, m, { pending: true, failed: false }));
    let res;
    let body = null;
    try {
      res = await fetch('/api/chat/send', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ conversationId: state.conversationId, content: m.content, visitorId: state.visitorId }),
      });
      body = await res.json();
    } catch {
      res = null;
    }
    if (res && res.status === 200 && body && body.success) {
      const d = body.data;
      const existing = state.byId.get(d.messageId);
      if (existing && existing !== li) li.remove();
      else {
        render(li, Object.assign({}, li._message, { id: d.messageId, pending: false, failed: false, createdAt: li._message.createdAt }));
        state.byId.set(d.messageId, li);
      }
      showError('');
      if (!state.conversationId) {
        state.conversationId = d.conversationId;
        window.localStorage.setItem(CONVERSATION_KEY, String(d.conversationId));
        subscribe();
      }
      if (d.aiResponse) upsert(d.aiResponse);
      return;
    }
    render(li, Object.assign({}, li._message, { pending: false, failed: true }));
    showError((body && body.error) || 'Message not sent. Tap it to retry.');
  }

  async function sendMessage(content) {
    await init();
    const li = upsert({ content: content, senderType: 'visitor', createdAt: new Date().toISOString(), pending: true });
    await deliver(li);
  }

  function setOpen(open) {
    state.isOpen = open;
    el.window.hidden = !open;
    el.toggle.setAttribute('aria-expanded', String(open));
    el.toggle.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    if (open) {
      setUnread(0);
      void init();
      el.input.focus();
    }
  }

  el.toggle.addEventListener('click', function () {
    setOpen(!state.isOpen);
  });
  el.close.addEventListener('click', function () {
    setOpen(false);
  });
  el.form.addEventListener('submit', function (e) {
    e.preventDefault();
    const content = el.input.value.trim();
    if (!content) return;
    el.input.value = '';
    void sendMessage(content);
  });
  el.input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      el.form.requestSubmit();
    }
  });
  el.list.addEventListener('click', function (e) {
    const li = e.target instanceof Element ? e.target.closest('li.failed') : null;
    if (li) void deliver(li);
  });

  if (state.conversationId) void init();
})();
