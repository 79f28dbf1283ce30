// The seed's floating chat widget (§8.3.3 ChatWidget + §8.3.4 useChat) in plain JavaScript.
// Visitor text is untrusted: it is always rendered with textContent, never as HTML.
(function () {
  'use strict';

  const TOKEN_KEY = 'chat_session_token';
  const NAME_KEY = 'chat_visitor_name';

  const el = {
    toggle: document.getElementById('chat-toggle'),
    unread: document.getElementById('chat-unread'),
    window: document.getElementById('chat-window'),
    close: document.getElementById('chat-close'),
    status: document.getElementById('chat-status'),
    name: document.getElementById('visitor-name'),
    list: document.getElementById('chat-messages'),
    typing: document.getElementById('chat-typing'),
    error: document.getElementById('chat-error'),
    form: document.getElementById('chat-form'),
    input: document.getElementById('chat-input'),
    send: document.getElementById('send-button'),
  };

  const state = {
    isOpen: false,
    unread: 0,
    sessionToken: null,
    conversationId: null,
    pusher: null,
    channel: null,
    pusherConfig: null,
    /** id -> <li> */
    byId: new Map(),
    /** clientMessageId -> <li> */
    byClientId: new Map(),
    typingTimer: null,
    lastTypingSent: 0,
    stopTypingTimer: null,
    initialised: null,
  };

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  function showError(text) {
    el.error.textContent = text || '';
    el.error.hidden = !text;
  }

  async function api(path, options) {
    const headers = { 'Content-Type': 'application/json' };
    if (state.sessionToken) headers['X-Session-Token'] = state.sessionToken;
    const res = await fetch(path, Object.assign({}, options, { headers: headers }));
    let body;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    return { status: res.status, body: body };
  }

  function formatTime(iso) {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function stateLabel(m) {
    if (m.senderType !== 'visitor') return formatTime(m.createdAt);
    if (m.failed) return 'Not sent — tap to retry';
    if (m.pending) return 'Sending…';
    return (m.isRead ? 'Read' : 'Sent') + (m.createdAt ? ' · ' + formatTime(m.createdAt) : '');
  }

  function renderMessage(li, m) {
    li.className = 'msg ' + (m.senderType === 'admin' ? 'admin' : 'visitor') + (m.failed ? ' failed' : '');
    li.dataset.state = m.failed ? 'failed' : m.pending ? 'sending' : m.isRead ? 'read' : 'sent';
    if (m.id) li.dataset.id = String(m.id);
    let text = li.querySelector('.text');
    let meta = li.querySelector('.meta');
    if (!text) {
      text = document.createElement('span');
      text.className = 'text';
      li.appendChild(text);
      meta = document.createElement('span');
      meta.className = 'meta';
      meta.setAttribute('data-testid', 'message-state');
      li.appendChild(meta);
    }
    text.textContent = m.content;
    meta.textContent = stateLabel(m);
    li._message = m;
  }

  function scrollToEnd() {
    el.list.scrollTop = el.list.scrollHeight;
  }

  /** Adds or updates a message; dedupes by server id and by clientMessageId. */
  function upsertMessage(m) {
    let li = (m.id && state.byId.get(m.id)) || (m.clientMessageId && state.byClientId.get(m.clientMessageId)) || null;
    if (li) {
      const merged = Object.assign({}, li._message, m, { pending: false, failed: false });
      if (li._message && li._message.isRead) merged.isRead = true;
      renderMessage(li, merged);
    } else {
      li = document.createElement('li');
      li.setAttribute('data-testid', 'message');
      renderMessage(li, m);
      el.list.appendChild(li);
    }
    if (m.id) state.byId.set(m.id, li);
    if (m.clientMessageId) state.byClientId.set(m.clientMessageId, li);
    scrollToEnd();
    return li;
  }

  function setUnread(n) {
    state.unread = n;
    el.unread.textContent = n > 9 ? '9+' : String(n);
    el.unread.hidden = n === 0;
  }

  // ---------------------------------------------------------------- read receipts
  let readPending = false;
  async function markAdminMessagesRead() {
    if (!state.isOpen || document.visibilityState !== 'visible' || !state.conversationId || readPending) return;
    const ids = [];
    for (const [id, li] of state.byId) {
      const m = li._message;
      if (m && m.senderType === 'admin' && !m.isRead) ids.push(id);
    }
    if (ids.length === 0) return;
    readPending = true;
    try {
      const r = await api('/api/chat/messages/read', {
        method: 'POST',
        body: JSON.stringify({ conversationId: state.conversationId, messageIds: ids }),
      });
      if (r.status === 200) {
        for (const id of ids) {
          const li = state.byId.get(id);
          if (li && li._message) li._message.isRead = true;
        }
      }
    } catch {
      // best effort
    } finally {
      readPending = false;
    }
  }

  // ---------------------------------------------------------------- realtime (seed §8.3.2)
  function getPusherClient() {
    if (!state.pusher && state.pusherConfig && typeof Pusher === 'function') {
      const cfg = state.pusherConfig;
      state.pusher = new Pusher(cfg.key, {
        cluster: cfg.cluster,
        authEndpoint: '/api/pusher/auth',
        auth: { headers: { 'X-Session-Token': state.sessionToken || '' } },
        wsHost: cfg.wsHost,
        wsPort: cfg.wsPort,
        wssPort: cfg.wsPort,
        forceTLS: !!cfg.forceTLS,
        enabledTransports: ['ws', 'wss'],
        disableStats: true,
      });
      state.pusher.connection.bind('state_change', function (s) {
        setStatus(s.current === 'connected' ? 'Online' : s.current === 'connecting' ? 'Connecting…' : 'Offline — reconnecting');
        if (s.current === 'connected' && s.previous !== 'initialized' && state.conversationId) void catchUp();
      });
    }
    return state.pusher;
  }

  function subscribeToChannel(convId) {
    const client = getPusherClient();
    if (!client || state.channel) return;
    const channel = client.subscribe('private-conversation-' + convId);
    state.channel = channel;
    // Presence: tells the site owner this visitor is on the page.
    client.subscribe('presence-conversation-' + convId);

    channel.bind('new-message', function (data) {
      upsertMessage(data);
      if (data.senderType === 'admin') {
        el.typing.hidden = true;
        if (!state.isOpen) setUnread(state.unread + 1);
        void markAdminMessagesRead();
      }
    });
    channel.bind('message-read', function (data) {
      const readAt = data.readAt;
      (data.messageIds || []).forEach(function (id) {
        const li = state.byId.get(id);
        if (li && li._message && li._message.senderType === 'visitor') {
          renderMessage(li, Object.assign({}, li._message, { isRead: true, readAt: readAt }));
        }
      });
    });
    channel.bind('client-typing', function (data) {
      if (!data || data.senderType !== 'admin') return;
      el.typing.textContent = 'Typing…';
      el.typing.hidden = !data.isTyping;
      clearTimeout(state.typingTimer);
      if (data.isTyping) {
        state.typingTimer = setTimeout(function () {
          el.typing.hidden = true;
        }, 6000);
      }
    });
    channel.bind('pusher:subscription_succeeded', function () {
      setStatus('Online');
    });
  }

  function sendTyping(isTyping) {
    const ch = state.channel;
    if (!ch || !ch.subscribed) return;
    ch.trigger('client-typing', { senderType: 'visitor', isTyping: isTyping });
  }

  function onInput() {
    const now = Date.now();
    if (now - state.lastTypingSent > 2000) {
      state.lastTypingSent = now;
      sendTyping(true);
    }
    clearTimeout(state.stopTypingTimer);
    state.stopTypingTimer = setTimeout(function () {
      state.lastTypingSent = 0;
      sendTyping(false);
    }, 3000);
  }

  // ---------------------------------------------------------------- history
  async function loadMessages(convId) {
    const r = await api('/api/chat/messages?conversationId=' + encodeURIComponent(convId) + '&limit=50', { method: 'GET' });
    if (r.status !== 200 || !r.body || !r.body.success) return;
    const list = r.body.data.messages.slice().reverse();
    list.forEach(upsertMessage);
  }

  async function catchUp() {
    let last = 0;
    for (const id of state.byId.keys()) if (id > last) last = id;
    const r = await api('/api/chat/messages?conversationId=' + state.conversationId + '&after=' + last + '&limit=100', { method: 'GET' });
    if (r.status === 200 && r.body && r.body.success) {
      r.body.data.messages.forEach(upsertMessage);
      void markAdminMessagesRead();
    }
  }

  // ---------------------------------------------------------------- session (seed §8.3.4)
  async function init() {
    try {
      const cfg = await api('/api/chat/config', { method: 'GET' });
      if (cfg.status === 200 && cfg.body && cfg.body.success) state.pusherConfig = cfg.body.data.pusher;
    } catch {
      state.pusherConfig = null;
    }
    const storedToken = window.localStorage.getItem(TOKEN_KEY);
    const r = await api('/api/chat/session', { method: 'POST', body: JSON.stringify({ sessionToken: storedToken }) });
    if (r.status !== 200 || !r.body || !r.body.success) {
      setStatus('Offline');
      showError('Chat is unavailable right now.');
      return;
    }
    state.sessionToken = r.body.data.sessionToken;
    state.conversationId = r.body.data.conversationId;
    window.localStorage.setItem(TOKEN_KEY, state.sessionToken);
    if (state.conversationId) {
      await loadMessages(state.conversationId);
      subscribeToChannel(state.conversationId);
    } else {
      setStatus(state.pusherConfig ? 'Online' : 'Offline');
    }
  }

  function ensureInit() {
    if (!state.initialised) {
      state.initialised = init().catch(function () {
        setStatus('Offline');
        showError('Chat is unavailable right now.');
        state.initialised = null;
      });
    }
    return state.initialised;
  }

  // ---------------------------------------------------------------- sending
  async function deliver(li) {
    const m = li._message;
    renderMessage(li, Object.assign({}, m, { pending: true, failed: false }));
    const visitorName = el.name.value.trim();
    const payload = { conversationId: state.conversationId, content: m.content, clientMessageId: m.clientMessageId };
    if (visitorName) payload.visitorName = visitorName;
    let r;
    try {
      r = await api('/api/chat/send', { method: 'POST', body: JSON.stringify(payload) });
    } catch {
      r = { status: 0, body: null };
    }
    if ((r.status === 201 || r.status === 200) && r.body && r.body.success) {
      const d = r.body.data;
      const existing = state.byId.get(d.messageId);
      if (existing && existing !== li) {
        li.remove();
      } else {
        renderMessage(li, Object.assign({}, li._message, { id: d.messageId, createdAt: d.createdAt, pending: false, failed: false }));
        state.byId.set(d.messageId, li);
      }
      showError('');
      if (!state.conversationId && d.conversationId) {
        state.conversationId = d.conversationId;
        subscribeToChannel(d.conversationId);
      }
      return;
    }
    renderMessage(li, Object.assign({}, li._message, { pending: false, failed: true }));
    if (r.status === 429) showError('You are sending messages too fast. Please wait a moment.');
    else if (r.status === 401) {
      showError('Your chat session expired. Reload the page to start a new one.');
      window.localStorage.removeItem(TOKEN_KEY);
    } else showError((r.body && r.body.error) || 'Message not sent. Tap it to retry.');
  }

  async function sendMessage(content) {
    await ensureInit();
    if (!state.sessionToken) return;
    const visitorName = el.name.value.trim();
    if (visitorName) window.localStorage.setItem(NAME_KEY, visitorName);
    const li = upsertMessage({
      clientMessageId: uuid(),
      content: content,
      senderType: 'visitor',
      createdAt: new Date().toISOString(),
      isRead: false,
      pending: true,
    });
    clearTimeout(state.stopTypingTimer);
    if (state.lastTypingSent) {
      state.lastTypingSent = 0;
      sendTyping(false);
    }
    await deliver(li);
  }

  // ---------------------------------------------------------------- UI wiring (seed §8.3.3)
  function setOpen(open) {
    state.isOpen = open;
    el.window.hidden = !open;
    el.toggle.setAttribute('aria-expanded', String(open));
    el.toggle.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    if (open) {
      setUnread(0);
      void ensureInit().then(markAdminMessagesRead);
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
    if (content.length > 2000) {
      showError('Messages can be at most 2000 characters.');
      return;
    }
    el.input.value = '';
    void sendMessage(content);
  });
  el.input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      el.form.requestSubmit();
    }
  });
  el.input.addEventListener('input', onInput);
  el.list.addEventListener('click', function (e) {
    const li = e.target instanceof Element ? e.target.closest('li.failed') : null;
    if (li) void deliver(li);
  });
  document.addEventListener('visibilitychange', function () {
    void markAdminMessagesRead();
  });
  el.name.value = window.localStorage.getItem(NAME_KEY) || '';

  // Returning visitors get their history and realtime right away.
  if (window.localStorage.getItem(TOKEN_KEY)) void ensureInit();
})();
