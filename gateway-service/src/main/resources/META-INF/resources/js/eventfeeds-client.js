/**
 * eventfeeds web client: one WebSocket to the gateway, channels with resume, publishing with acks, in-band token
 * refresh, and feed-service's REST API for history and publishing. An ES module without dependencies, served by the
 * gateway at /js/eventfeeds-client.js. See docs/client.md.
 *
 * Hand-written rather than taken from a library because the wire protocol is the project's own (docs/protocol.md):
 * resume by position, ack matching by ref and the close codes have no general-purpose client.
 */

/** Close codes the gateway sends (docs/protocol.md). */
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TOKEN_EXPIRED: 4401,
  TOO_SLOW: 4008,
  /** The gateway heard nothing from this client, not even a pong, within its idle timeout. */
  SILENT: 4009,
  /** Sent by this client when the gateway stopped answering pings. */
  NO_PONG: 4000,
});

/** A refusal by the gateway (an error frame) or by feed-service (an RFC 9457 problem). */
export class EventFeedsError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'EventFeedsError';
    this.code = code;
    Object.assign(this, details);
  }
}

/** Parses "partition-offset"; null for anything else. */
export function parsePosition(position) {
  if (typeof position !== 'string') {
    return null;
  }
  const match = /^(\d+)-(\d+)$/.exec(position);
  return match ? { partition: Number(match[1]), offset: Number(match[2]) } : null;
}

/** Seconds since the epoch when a JWT expires, or null when the token has no readable exp. */
export function tokenExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '='))).exp;
    return typeof exp === 'number' ? exp : null;
  } catch (e) {
    return null;
  }
}

const DEFAULTS = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 10000,
  refreshBeforeExpirySeconds: 60,
  pingIntervalMs: 25000,
  pongTimeoutMs: 10000,
  publishTimeoutMs: 15000,
});

export class EventFeedsClient {
  /**
   * @param {object} options
   * @param {string} options.url the gateway's WebSocket URL, e.g. "ws://127.0.0.1:8080/ws"
   * @param {() => Promise<string>} options.getToken a valid access token, refreshed when needed (keycloak-js:
   *   `async () => { await keycloak.updateToken(90); return keycloak.token; }`)
   * @param {string} [options.feedUrl] feed-service's base URL, for history() and post()
   * @param {(status: object) => void} [options.onStatus] connection status changes (see docs/client.md)
   * @param {(error: Error, context: object) => void} [options.onError] errors that belong to no call
   * @param {(event: object) => void} [options.onEvent] events of channels without a subscription (broadcasts)
   */
  constructor(options) {
    if (!options || !options.url || typeof options.getToken !== 'function') {
      throw new TypeError('EventFeedsClient needs {url, getToken}');
    }
    this.options = { ...DEFAULTS, ...options };
    this.channels = new Map();
    this.pending = new Map();
    this.nextRef = 1;
    this.socket = null;
    this.attempt = 0;
    this.connectedOnce = false;
    this.closedByUser = false;
    this.timers = { reconnect: null, refresh: null, ping: null, pong: null, stable: null };
    this.status = { state: 'idle' };
    this.missed = 0;
    /** When the connection's current token expires (seconds since the epoch), and how often it was refreshed. */
    this.tokenExpiresAt = null;
    this.tokenRefreshes = 0;
  }

  /** Opens the connection; resolves once it is open. On failure it keeps retrying with backoff and status updates. */
  connect() {
    this.closedByUser = false;
    if (!this.opened) {
      this.opened = new Promise((resolve) => { this.resolveOpened = resolve; });
      this.openSocket();
    }
    return this.opened;
  }

  /** Closes the connection for good: no reconnect; pending publishes are rejected. */
  close() {
    this.closedByUser = true;
    Object.keys(this.timers).forEach((name) => this.clearTimer(name));
    if (this.socket) {
      this.socket.close(CloseCode.NORMAL, 'client closed');
    }
    this.failPending(new EventFeedsError('closed', 'the client was closed'));
    this.setStatus({ state: 'closed' });
  }

  /**
   * Subscribes to a channel. With {history: n} it first reads the channel's last n events from feed-service, hands
   * them to the handler and subscribes after the last one, so that nothing falls between history and live events.
   * Resolves with the subscribed position; rejects with an EventFeedsError when the gateway refuses.
   */
  async subscribe(channel, handler, { history = 0 } = {}) {
    let state = this.channels.get(channel);
    if (!state) {
      // ready: the history (if any) is in, so a (re)connect may subscribe it; before that a subscription would let
      // live events overtake the history, which then would be dropped as duplicates.
      state = { handlers: new Set(), last: null, resumedAt: null, waiting: null, ready: false };
      this.channels.set(channel, state);
    }
    state.handlers.add(handler);
    if (state.ready) {
      return state.last;
    }
    if (history > 0 && this.options.feedUrl && state.last === null) {
      try {
        for (const event of await this.history(channel, { limit: history })) {
          this.deliver(channel, event, false);
        }
      } catch (error) {
        // History is a convenience: without it the page still shows every event from now on.
        this.reportError(error, { channel, during: 'history' });
      }
    }
    state.ready = true;
    await this.connect();
    return this.sendSubscribe(channel, state, false);
  }

  /** Stops delivering a channel's events to the handler, and unsubscribes when no handler is left. */
  unsubscribe(channel, handler) {
    const state = this.channels.get(channel);
    if (!state) {
      return;
    }
    if (handler) {
      state.handlers.delete(handler);
    } else {
      state.handlers.clear();
    }
    if (state.handlers.size === 0) {
      this.channels.delete(channel);
      this.send({ op: 'unsubscribe', channel });
    }
  }

  /**
   * Publishes over the WebSocket (for example chat). Resolves with the event's position when the gateway
   * acknowledged it (Kafka has it), rejects with an EventFeedsError on an error frame, a timeout, or a lost
   * connection; after a lost connection, a timeout or an event_outcome_unknown error the event may or may not have
   * been published. Give the event an idempotencyKey (one per event, reused when sending it again) so that sending it
   * again after such an error publishes it once (docs/protocol.md).
   */
  publish(channel, data, { eventType, idempotencyKey } = {}) {
    if (!this.isOpen()) {
      return Promise.reject(new EventFeedsError('not_connected', 'not connected to the gateway; try again'));
    }
    const ref = `p${this.nextRef++}`;
    const frame = { op: 'publish', channel, data, ref };
    if (eventType) {
      frame.event_type = eventType;
    }
    if (idempotencyKey) {
      frame.idempotency_key = idempotencyKey;
    }
    return this.request(ref, frame, 'ack').then((ack) => ack.position);
  }

  /** A channel's recent events from feed-service, oldest first, in the shape of the gateway's event frames. */
  async history(channel, { limit = 50, since } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (since) {
      query.set('since', since);
    }
    const response = await this.rest('GET', `${this.channelUrl(channel)}?${query}`);
    const page = await response.json();
    return (page.events || []).map((event) => ({
      type: 'event',
      channel: event.channel || channel,
      id: event.id,
      event_type: event.type,
      position: event.position,
      ts: event.ts,
      publisher: event.publisher,
      data: event.data,
    }));
  }

  /**
   * Publishes through feed-service's REST API (the caller needs the publisher role). Resolves with feed-service's
   * answer (id and position); rejects with an EventFeedsError carrying the problem's status and detail.
   */
  async post(channel, data, { eventType } = {}) {
    const body = { data };
    if (eventType) {
      body.type = eventType;
    }
    const response = await this.rest('POST', this.channelUrl(channel), body);
    return response.json();
  }

  /** The last position seen on a channel, the point a reconnect resumes after. */
  positionOf(channel) {
    const state = this.channels.get(channel);
    return state ? state.last : null;
  }

  // ---- REST ------------------------------------------------------------------------------------------------------

  channelUrl(channel) {
    if (!this.options.feedUrl) {
      throw new EventFeedsError('no_feed_url', 'feedUrl is not configured');
    }
    return `${this.options.feedUrl.replace(/\/+$/, '')}/api/v1/channels/${encodeURIComponent(channel)}/events`;
  }

  async rest(method, url, body) {
    const headers = { Authorization: `Bearer ${await this.options.getToken()}`, Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new EventFeedsError('network', `feed-service cannot be reached (${error.message})`);
    }
    if (!response.ok) {
      let problem = {};
      try {
        problem = await response.json();
      } catch (e) {
        // not a problem body; the status says enough
      }
      throw new EventFeedsError(`http_${response.status}`,
        problem.detail || problem.title || `feed-service answered ${response.status}`,
        { status: response.status, problem });
    }
    return response;
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  async openSocket() {
    this.clearTimer('reconnect');
    this.setStatus({ state: this.connectedOnce ? 'reconnecting' : 'connecting', attempt: this.attempt });
    let token;
    try {
      token = await this.options.getToken();
    } catch (error) {
      this.reportError(error, { during: 'token' });
      this.scheduleReconnect();
      return;
    }
    if (this.closedByUser) {
      return;
    }
    // Browsers cannot set Authorization on a WebSocket. The gateway accepts the token as a subprotocol, the Quarkus
    // convention: "bearer-token-carrier" (echoed back) plus the header's value; tokens never go into the URL.
    const socket = new WebSocket(this.options.url,
      ['bearer-token-carrier', encodeURI(`quarkus-http-upgrade#Authorization#Bearer ${token}`)]);
    this.socket = socket;
    socket.onopen = () => this.onOpen(socket, token);
    socket.onmessage = (message) => this.onFrame(message.data);
    socket.onclose = (closed) => this.onClose(socket, closed);
  }

  onOpen(socket, token) {
    if (socket !== this.socket) {
      return;
    }
    const resumed = this.connectedOnce;
    this.connectedOnce = true;
    // The backoff starts over only once a connection has lasted: one that the gateway closes at once (a refused
    // token, a gateway going down) must not lead to a tight reconnect loop.
    this.clearTimer('stable');
    this.timers.stable = setTimeout(() => { this.attempt = 0; }, 5000);
    this.tokenExpiresAt = tokenExpiry(token);
    this.scheduleRefresh(this.tokenExpiresAt);
    this.schedulePing();
    if (resumed) {
      this.missed = 0;
      this.setStatus({ state: 'resumed', missed: 0 });
    } else {
      this.setStatus({ state: 'connected' });
    }
    for (const [channel, state] of this.channels) {
      if (!state.ready) {
        continue;
      }
      this.sendSubscribe(channel, state, resumed).catch((error) => this.reportError(error, { channel,
        during: 'resubscribe' }));
    }
    this.resolveOpened();
  }

  onClose(socket, closed) {
    if (socket !== this.socket) {
      return;
    }
    this.socket = null;
    this.clearTimer('stable');
    this.clearTimer('ping');
    this.clearTimer('pong');
    this.clearTimer('refresh');
    this.failPending(new EventFeedsError('connection_lost',
      'the connection closed before the gateway answered; the event may or may not have been published'));
    for (const state of this.channels.values()) {
      if (state.waiting) {
        state.waiting.reject(new EventFeedsError('connection_lost', 'the connection closed before subscribing'));
        state.waiting = null;
      }
    }
    if (this.closedByUser) {
      return;
    }
    const reason = closed.code === CloseCode.TOKEN_EXPIRED ? 'token expired'
      : closed.code === CloseCode.GOING_AWAY ? 'gateway shutting down'
        : closed.code === CloseCode.TOO_SLOW ? 'too slow'
          : closed.code === CloseCode.SILENT ? 'no answer to the gateway\'s pings' : `connection closed (${closed.code})`;
    this.closes = (this.closes || 0) + 1;
    // 4401: the token ran out without a refresh; getToken() fetches a fresh one, so reconnect at once, but only
    // the first time: if that does not help, the backoff keeps a refused client from hammering the gateway.
    this.scheduleReconnect(reason, closed.code === CloseCode.TOKEN_EXPIRED && this.attempt === 0 ? 0 : undefined);
  }

  /** Exponential backoff with full jitter: a random delay up to min(max, initial * 2^attempt). */
  scheduleReconnect(reason, delayMs) {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.attempt);
    const delay = delayMs !== undefined ? delayMs : Math.round(Math.random() * ceiling);
    this.attempt += 1;
    this.setStatus({ state: this.connectedOnce ? 'reconnecting' : 'connecting', attempt: this.attempt, delayMs: delay,
      reason });
    this.clearTimer('reconnect');
    this.timers.reconnect = setTimeout(() => this.openSocket(), delay);
  }

  /** Sends a fresh token in-band before the current one expires, so the connection outlives it. */
  scheduleRefresh(expiresAt) {
    this.clearTimer('refresh');
    if (!expiresAt) {
      return;
    }
    const inMs = Math.max(5000, (expiresAt - this.options.refreshBeforeExpirySeconds) * 1000 - Date.now());
    this.timers.refresh = setTimeout(() => this.refreshToken(), inMs);
  }

  async refreshToken() {
    try {
      const token = await this.options.getToken();
      const ref = `a${this.nextRef++}`;
      const answer = await this.request(ref, { op: 'auth', token, ref }, 'auth');
      this.tokenExpiresAt = typeof answer.expires_at === 'number' ? answer.expires_at : tokenExpiry(token);
      this.tokenRefreshes += 1;
      this.scheduleRefresh(this.tokenExpiresAt);
    } catch (error) {
      this.reportError(error, { during: 'token refresh' });
      // Try again soon; if the token runs out meanwhile the gateway closes with 4401 and we reconnect.
      if (this.isOpen()) {
        this.clearTimer('refresh');
        this.timers.refresh = setTimeout(() => this.refreshToken(), 10000);
      }
    }
  }

  schedulePing() {
    this.clearTimer('ping');
    this.timers.ping = setInterval(() => {
      if (!this.isOpen()) {
        return;
      }
      this.send({ op: 'ping' });
      if (!this.timers.pong) {
        const socket = this.socket;
        this.timers.pong = setTimeout(() => socket.close(CloseCode.NO_PONG, 'no pong'), this.options.pongTimeoutMs);
      }
    }, this.options.pingIntervalMs);
  }

  // ---- frames ----------------------------------------------------------------------------------------------------

  send(frame) {
    if (this.isOpen()) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  request(ref, frame, answerType) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new EventFeedsError('timeout', `no answer from the gateway within ${this.options.publishTimeoutMs} ms`));
      }, this.options.publishTimeoutMs);
      this.pending.set(ref, { resolve, reject, timer, answerType });
      if (!this.send(frame)) {
        clearTimeout(timer);
        this.pending.delete(ref);
        reject(new EventFeedsError('not_connected', 'not connected to the gateway; try again'));
      }
    });
  }

  sendSubscribe(channel, state, resuming) {
    const ref = `s${this.nextRef++}`;
    const frame = { op: 'subscribe', channel, ref };
    if (state.last) {
      frame.since = state.last;
    }
    state.resumedAt = resuming && state.last ? Date.now() : null;
    return new Promise((resolve, reject) => {
      state.waiting = { ref, resolve, reject };
      if (!this.send(frame)) {
        state.waiting = null;
        // Not an error: onOpen subscribes every known channel.
        resolve(state.last);
      }
    });
  }

  onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      this.reportError(new EventFeedsError('bad_frame', 'the gateway sent a frame that is not JSON'), {});
      return;
    }
    switch (frame.type) {
      case 'event':
        this.deliver(frame.channel, frame, true);
        break;
      case 'subscribed': {
        const state = this.channels.get(frame.channel);
        if (state) {
          // Subscribed without a position of our own: resume from where the subscription started.
          if (!state.last && frame.position) {
            state.last = frame.position;
          }
          if (state.waiting) {
            state.waiting.resolve(frame.position || null);
            state.waiting = null;
          }
        }
        break;
      }
      case 'ack':
      case 'auth':
        this.settle(frame.ref || this.oldestPending(frame.type), (waiting) => waiting.resolve(frame));
        break;
      case 'pong':
        this.clearTimer('pong');
        break;
      case 'unsubscribed':
        break;
      case 'error':
        this.onErrorFrame(frame);
        break;
      default:
        break;
    }
  }

  onErrorFrame(frame) {
    const error = new EventFeedsError(frame.code, frame.message,
      { channel: frame.channel, ref: frame.ref, retryAfter: frame.retry_after });
    if (frame.ref && this.pending.has(frame.ref)) {
      this.settle(frame.ref, (waiting) => waiting.reject(error));
      return;
    }
    const state = frame.channel ? this.channels.get(frame.channel) : null;
    // not_ready: a gateway that just started is still joining Kafka, or a replay failed: subscribe again shortly.
    if (state && frame.code === 'not_ready') {
      setTimeout(() => {
        if (this.channels.get(frame.channel) === state && this.isOpen()) {
          const waiting = state.waiting;
          this.sendSubscribe(frame.channel, state, state.resumedAt !== null).then(
            (position) => waiting && waiting.resolve(position), (error) => waiting && waiting.reject(error));
        }
      }, 1000);
      return;
    }
    // position_expired is a warning: the gateway goes on from the oldest event it still keeps.
    if (state && state.waiting && state.waiting.ref === frame.ref && frame.code !== 'position_expired') {
      state.waiting.reject(error);
      state.waiting = null;
      return;
    }
    this.reportError(error, { channel: frame.channel });
  }

  /** The gateway's auth answer carries no ref: it answers the oldest request waiting for that type of frame. */
  oldestPending(type) {
    for (const [ref, waiting] of this.pending) {
      if (waiting.answerType === type) {
        return ref;
      }
    }
    return null;
  }

  settle(ref, action) {
    const waiting = this.pending.get(ref);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.pending.delete(ref);
      action(waiting);
    }
  }

  /**
   * Hands an event to the channel's handlers once: an event at or before the last position seen on the channel is
   * a duplicate (the history and the replay may overlap) and is dropped. Within a channel positions share one
   * partition, so comparing offsets orders them.
   */
  deliver(channel, event, live) {
    const state = this.channels.get(channel);
    if (!state) {
      if (live && this.options.onEvent) {
        this.options.onEvent(event);
      }
      return;
    }
    const seen = parsePosition(state.last);
    const at = parsePosition(event.position);
    if (seen && at && seen.partition === at.partition && at.offset <= seen.offset) {
      return;
    }
    if (at) {
      state.last = event.position;
    }
    // A missed event: it reached Kafka before this resumed subscription was made, so it came by replay.
    if (live && state.resumedAt && typeof event.ts === 'number' && event.ts < state.resumedAt) {
      this.missed += 1;
      this.setStatus({ state: 'resumed', missed: this.missed });
    }
    for (const handler of state.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.reportError(error, { channel, during: 'handler' });
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  failPending(error) {
    for (const [ref, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      this.pending.delete(ref);
      waiting.reject(error);
    }
  }

  clearTimer(name) {
    if (this.timers[name]) {
      clearTimeout(this.timers[name]);
      clearInterval(this.timers[name]);
      this.timers[name] = null;
    }
  }

  setStatus(status) {
    this.status = status;
    if (this.options.onStatus) {
      try {
        this.options.onStatus(status);
      } catch (error) {
        this.reportError(error, { during: 'onStatus' });
      }
    }
  }

  reportError(error, context) {
    if (this.options.onError) {
      this.options.onError(error, context);
    } else {
      console.warn('eventfeeds:', error.message, context);
    }
  }
}
