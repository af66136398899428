// The demo page: login with keycloak-js (authorization code + PKCE), then scores, stocks, chat and announcements
// through EventFeedsClient. Everything it loads is served by the gateway itself (no CDN).
import Keycloak from '/vendor/keycloak-js/keycloak.js';
import { EventFeedsClient } from '/js/eventfeeds-client.js';

const $ = (id) => document.getElementById(id);

/** Tokens are refreshed when they have less than this left; the client refreshes 60 s before expiry. */
const MIN_VALIDITY_SECONDS = 90;
const CHAT_HISTORY = 50;

function showPageError(message) {
  const element = $('page-error');
  element.textContent = message;
  element.hidden = false;
}

function roleSet(keycloak) {
  const roles = (keycloak.tokenParsed && keycloak.tokenParsed.realm_access && keycloak.tokenParsed.realm_access.roles)
    || [];
  return new Set(roles);
}

function timeOf(ts) {
  const time = document.createElement('time');
  const date = typeof ts === 'number' ? new Date(ts) : new Date();
  time.dateTime = date.toISOString();
  time.textContent = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return time;
}

function flash(element) {
  element.classList.remove('flash');
  // Reading offsetWidth restarts the CSS animation.
  void element.offsetWidth;
  element.classList.add('flash');
}

// ---- status ------------------------------------------------------------------------------------------------------

function showStatus(status) {
  const element = $('status');
  element.dataset.state = status.state;
  let text;
  switch (status.state) {
    case 'connecting':
      text = status.attempt ? `Connecting… (attempt ${status.attempt + 1})` : 'Connecting…';
      break;
    case 'connected':
      text = 'Connected';
      break;
    case 'reconnecting':
      text = status.reason ? `Reconnecting (${status.reason})…` : 'Reconnecting…';
      break;
    case 'resumed':
      element.dataset.missed = String(status.missed || 0);
      text = `Connected, resumed: ${status.missed || 0} missed event${status.missed === 1 ? '' : 's'} delivered`;
      break;
    case 'closed':
      text = 'Disconnected';
      break;
    default:
      text = status.state;
  }
  element.textContent = text;
}

// ---- scoreboard ---------------------------------------------------------------------------------------------------

function teamOf(side) {
  // The demo feed sends {team, points}; a plain number is accepted too.
  if (side && typeof side === 'object') {
    return { team: side.team, points: side.points };
  }
  return { team: undefined, points: side };
}

function showScore(event) {
  const data = event.data || {};
  const home = teamOf(data.home);
  const away = teamOf(data.away);
  if (home.team) {
    $('score-home-team').textContent = home.team;
  }
  if (away.team) {
    $('score-away-team').textContent = away.team;
  }
  for (const [id, value] of [['score-home-points', home.points], ['score-away-points', away.points]]) {
    if (value !== undefined && value !== null && $(id).textContent !== String(value)) {
      $(id).textContent = String(value);
      flash($(id));
    }
  }
  if (data.quarter !== undefined) {
    $('score-quarter').textContent = `Q${data.quarter}`;
  }
  if (data.clock !== undefined) {
    $('score-clock').textContent = String(data.clock);
  }
  $('score-meta').textContent = data.final ? 'Final' : `Updated ${new Date(event.ts || Date.now()).toLocaleTimeString()}`;
  $('scoreboard').dataset.position = event.position || '';
}

// ---- stocks -------------------------------------------------------------------------------------------------------

function showPrice(channel, event) {
  const data = event.data || {};
  const symbol = String(data.symbol || channel.split(':')[1] || channel).toUpperCase();
  let row = document.querySelector(`#stock-rows tr[data-channel="${CSS.escape(channel)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.channel = channel;
    const name = document.createElement('th');
    name.scope = 'row';
    row.append(name, document.createElement('td'), document.createElement('td'));
    $('stock-rows').append(row);
  }
  const [name, price, change] = row.children;
  name.textContent = symbol;
  const value = Number(data.price);
  price.textContent = Number.isFinite(value) ? value.toFixed(2) : String(data.price ?? '–');
  const delta = Number(data.change);
  change.textContent = Number.isFinite(delta) ? `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}` : '';
  change.className = delta > 0 ? 'up' : delta < 0 ? 'down' : '';
  flash(price);
}

// ---- chat and announcements ---------------------------------------------------------------------------------------

function appendMessage(list, event, withSender) {
  const item = document.createElement('li');
  item.dataset.id = event.id || '';
  item.dataset.position = event.position || '';
  item.append(timeOf(event.ts));
  if (withSender) {
    const sender = document.createElement('span');
    sender.className = 'sender';
    // The gateway sets publisher from the sender's token: a user cannot post under another name.
    sender.textContent = event.publisher || 'unknown';
    item.append(sender);
  }
  const text = document.createElement('span');
  text.className = 'text';
  const data = event.data;
  text.textContent = data && typeof data === 'object' ? String(data.text ?? JSON.stringify(data)) : String(data);
  item.append(text);
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

/** Failures after which the message may have been published all the same. */
const MAYBE_SENT = new Set(['event_outcome_unknown', 'connection_lost', 'timeout']);

/** A key for one message: sending it again with the same key publishes it once. */
function newIdempotencyKey() {
  // crypto.randomUUID exists only in secure contexts (https, localhost); the demo may be served over plain http.
  return window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function wireForm(form, input, errorElement, send) {
  // The text that failed and its key: sending the same text again reuses the key, so a message whose first send
  // did reach Kafka is not published twice.
  let unsent = null;
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    const text = input.value.trim();
    if (!text) {
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    errorElement.hidden = true;
    const key = unsent && unsent.text === text ? unsent.key : newIdempotencyKey();
    try {
      await send(text, key);
      input.value = '';
      unsent = null;
    } catch (error) {
      // The text stays in the field so that nothing typed is lost.
      unsent = { text, key };
      errorElement.textContent = MAYBE_SENT.has(error.code)
        ? `Maybe sent: ${error.message}. Send it again: it will not appear twice.`
        : `Not sent: ${error.message}`;
      errorElement.hidden = false;
    } finally {
      button.disabled = false;
      input.focus();
    }
  });
}

// ---- start --------------------------------------------------------------------------------------------------------

async function start() {
  let settings;
  try {
    const response = await fetch('/config.json');
    if (!response.ok) {
      throw new Error(`settings answered ${response.status}`);
    }
    settings = await response.json();
  } catch (error) {
    showPageError(`The page cannot load its settings: ${error.message}`);
    return;
  }

  const keycloak = new Keycloak(settings.keycloak);
  let authenticated;
  try {
    // check-sso without a silent iframe: one redirect through Keycloak, which returns at once, logged in or not.
    // The page's own URL as the redirect: production realms accept exactly it, not a wildcard.
    authenticated = await keycloak.init({ onLoad: 'check-sso', pkceMethod: 'S256', checkLoginIframe: false,
      redirectUri: `${window.location.origin}/` });
  } catch (error) {
    showPageError(`Keycloak cannot be reached at ${settings.keycloak.url}: ${error && error.message ? error.message
      : 'no answer'}`);
    $('status').textContent = 'Not connected';
    return;
  }
  $('login').addEventListener('click', () => keycloak.login({ redirectUri: `${window.location.origin}/` }));
  $('logout').addEventListener('click', () => keycloak.logout({ redirectUri: `${window.location.origin}/` }));
  if (!authenticated) {
    $('login').hidden = false;
    $('status').textContent = 'Not signed in';
    $('status').dataset.state = 'idle';
    return;
  }

  const user = keycloak.tokenParsed.preferred_username || keycloak.tokenParsed.sub;
  const roles = roleSet(keycloak);
  $('who').textContent = `Signed in as ${user}`;
  $('who').dataset.user = user;
  $('logout').hidden = false;
  $('welcome').hidden = true;

  const client = new EventFeedsClient({
    url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`,
    feedUrl: settings.feedUrl,
    getToken: async () => {
      await keycloak.updateToken(MIN_VALIDITY_SECONDS);
      return keycloak.token;
    },
    onStatus: (status) => {
      console.info('eventfeeds status', JSON.stringify(status));
      showStatus(status);
    },
    onError: (error, context) => console.warn('eventfeeds', context, error),
  });
  // Exposed for debugging in the browser console and for the end-to-end tests.
  window.eventfeeds = client;

  const { channels } = settings;
  const subscriptions = [];
  if (roles.has('subscriber')) {
    $('scoreboard').hidden = false;
    $('stocks').hidden = false;
    subscriptions.push(client.subscribe(channels.scores, showScore, { history: 1 }));
    for (const channel of channels.stocks) {
      // A row per configured channel up front, so the table keeps the configured order.
      showPrice(channel, { data: {} });
      subscriptions.push(client.subscribe(channel, (event) => showPrice(channel, event), { history: 1 }));
    }
  }

  $('chat').hidden = false;
  $('chat-room').textContent = channels.chat;
  if (roles.has('chat')) {
    $('chat-form').hidden = false;
    subscriptions.push(client.subscribe(channels.chat, (event) => appendMessage($('chat-log'), event, true),
      { history: CHAT_HISTORY }));
    wireForm($('chat-form'), $('chat-input'), $('chat-error'),
      (text, key) => client.publish(channels.chat, { text }, { eventType: 'chat', idempotencyKey: key }));
  } else {
    $('chat-readonly').textContent = `The chat room is for users with the "chat" role; ${user} does not have it.`;
    $('chat-readonly').hidden = false;
    $('chat-log').hidden = true;
  }

  $('announcements').hidden = false;
  subscriptions.push(client.subscribe(channels.announcements,
    (event) => appendMessage($('announcement-log'), event, true), { history: 10 }));
  if (roles.has('publisher')) {
    $('announce-form').hidden = false;
    wireForm($('announce-form'), $('announce-input'), $('announce-error'),
      (text) => client.post(channels.announcements, { text }, { eventType: 'announcement' }));
  }

  const results = await Promise.allSettled(subscriptions);
  const refused = results.filter((result) => result.status === 'rejected');
  if (refused.length > 0) {
    showPageError(`Some channels are not available: ${refused.map((r) => r.reason.message).join('; ')}`);
  }
}

start();
