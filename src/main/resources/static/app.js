// closewatch status page: the summary of all upstreams from /api/v1/upstreams/summary; one
// page of upstream cards from /api/v1/upstreams (down and flapping first, filtered by state,
// name and flapping, the filters kept in the URL's fragment so that a view can be shared),
// refreshed periodically, each with its 24 h availability from
// /api/v1/upstreams/{name}/availability (refreshed every minute); recent close events from
// /api/v1/close-events, filtered by upstream, code and wasClean and kept live by the SSE
// stream. One upstream's own view (#upstream=<name>, a link to share) shows its state, its
// availability over 1 h, 24 h or 7 d, and a timeline of its sessions and closes. At 10,000
// upstreams the page holds one page of cards, never all of them.
'use strict';

(function () {
  const API = '/api/v1';
  const REFRESH_MS = 5000;
  const MAX_ROWS = 100;
  // availability costs a query per upstream: at most this many cards get one, each at most
  // once a minute, a few at a time
  const MAX_AVAILABILITY = 50;
  const AVAILABILITY_REFRESH_MS = 60000;
  const AVAILABILITY_CONCURRENCY = 3;
  const PAGE_SIZE = 24;
  // a close reloads the page of cards, at most this often
  const RELOAD_AFTER_CLOSE_MS = 1000;
  const SEARCH_DEBOUNCE_MS = 250;
  // the upstream view's availability and timeline: refreshed this often, and soon after its closes
  const DETAIL_HISTORY_REFRESH_MS = 60000;
  const DETAIL_HISTORY_AFTER_CLOSE_MS = 2000;
  const TIMELINE_EVENTS = 1000;
  const STREAM_RENDER_MS = 100;

  const CODE_NAMES = {
    1000: 'Normal Closure', 1001: 'Going Away', 1002: 'Protocol Error', 1003: 'Unsupported Data',
    1005: 'No Status Received', 1006: 'Abnormal Closure', 1007: 'Invalid Payload', 1008: 'Policy Violation',
    1009: 'Message Too Big', 1010: 'Mandatory Extension', 1011: 'Internal Error', 1012: 'Service Restart',
    1013: 'Try Again Later', 1014: 'Bad Gateway', 1015: 'TLS Handshake'
  };

  const STATES = {
    OPEN: { label: 'Open', tone: 'ok' },
    CONNECTING: { label: 'Connecting', tone: 'info' },
    CLOSING: { label: 'Closing', tone: 'info' },
    WAITING_TO_RECONNECT: { label: 'Reconnecting', tone: 'warn' },
    GAVE_UP: { label: 'Gave up', tone: 'bad' },
    STOPPED: { label: 'Stopped', tone: 'idle' }
  };

  let upstreams = [];
  // the filters, as in the fragment (#state=OPEN&q=prices&flapping=true&size=24), and the
  // cursors of the pages seen so far: cursors[i] opens page i
  const view = { state: '', q: '', label: '', flapping: false, size: PAGE_SIZE, cursors: [null], index: 0, next: null, total: 0 };
  // the upstream shown on its own (#upstream=<name>), '' for the list; the close event
  // filters (#events-upstream=&events-code=&events-clean=)
  const detail = { name: '', upstream: null, windowHours: 24, historyTimer: null, historyLoadedAt: 0 };
  const eventFilter = { upstream: '', code: '', clean: '' };
  // the list's fragment, for the way back from an upstream's view
  let listHash = '#';
  let reloadTimer = null;
  const events = new Map(); // id -> event
  let lastLoaded = null;
  const availability = new Map(); // name -> { data, loadedAt }
  const availabilityQueue = [];
  const availabilityLoading = new Set();

  const $ = (selector, root = document) => root.querySelector(selector);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function codeName(code) {
    if (CODE_NAMES[code]) return CODE_NAMES[code];
    if (code >= 3000 && code <= 3999) return 'Registered';
    if (code >= 4000 && code <= 4999) return 'Application';
    return 'Non-standard';
  }

  function duration(ms) {
    if (ms < 0) ms = 0;
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + (s % 60) + 's';
    const h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }

  function isoDuration(text) {
    // PT2.5S, PT1M3.2S, PT2H, PT0S -> milliseconds
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(text || '');
    if (!match) return null;
    return ((+match[1] || 0) * 3600 + (+match[2] || 0) * 60 + (+match[3] || 0)) * 1000;
  }

  function ago(iso) {
    return duration(Date.now() - Date.parse(iso)) + ' ago';
  }

  function clockTime(iso) {
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  // ---- upstream cards ----

  function renderUpstreams(problem) {
    const container = $('#upstreams');
    container.setAttribute('aria-busy', 'false');
    if (upstreams.length === 0) {
      const filtered = view.state || view.q || view.label || view.flapping;
      container.replaceChildren(el('p', { class: 'empty' }, problem || (filtered ? 'No upstream matches these filters.'
        : 'No upstreams are configured (closewatch.upstreams).')));
    } else {
      const existing = new Map([...container.querySelectorAll('.card')].map((card) => [card.dataset.upstream, card]));
      const cards = upstreams.map((upstream) => {
        const card = existing.get(upstream.name) || newCard(upstream.name);
        fillCard(card, upstream);
        return card;
      });
      container.replaceChildren(...cards);
      requestAvailability();
    }
    const first = view.index * view.size;
    $('#page-info').textContent = view.total === 0 ? 'no upstream matches'
      : `${(first + 1).toLocaleString()}–${(first + upstreams.length).toLocaleString()} of ${view.total.toLocaleString()}`;
    $('#page-prev').disabled = view.index === 0;
    $('#page-next').disabled = !view.next;
    if (lastLoaded) $('#upstreams-updated').textContent = 'updated ' + clockTime(lastLoaded.toISOString());
  }

  function newCard(name) {
    const card = $('#upstream-card').content.firstElementChild.cloneNode(true);
    card.dataset.upstream = name;
    card.setAttribute('aria-label', 'Upstream ' + name);
    return card;
  }

  function fillCard(card, upstream) {
    const state = STATES[upstream.state] || { label: upstream.state, tone: 'idle' };
    card.className = 'card state-' + state.tone;
    card.dataset.state = upstream.state;
    const link = $('.card-link', card);
    link.textContent = upstream.name;
    link.href = '#upstream=' + encodeURIComponent(upstream.name);
    const badge = $('.badge', card);
    badge.className = 'badge ' + state.tone;
    badge.textContent = state.label;
    $('.card-url', card).textContent = upstream.url;
    $('.attempt', card).textContent = upstream.attempt;
    $('.messages', card).textContent = Number(upstream.messagesReceived).toLocaleString();
    card.dataset.openSince = upstream.openSince || '';
    card.dataset.disconnectedSince = upstream.disconnectedSince || '';
    card.dataset.nextAttemptAt = upstream.nextAttemptAt || '';
    tickCard(card);
    fillAvailability(card, upstream.name);
    const body = $('.last-close-body', card);
    const close = upstream.lastClose;
    body.replaceChildren(...(close ? closeSummary(close) : [el('span', { class: 'kv' }, 'none yet')]));
  }

  function closeSummary(close) {
    const parts = [
      el('span', { class: 'code', title: codeName(close.code) }, close.code),
      el('span', { class: 'code-name' }, codeName(close.code)),
      el('span', { class: 'pill ' + (close.wasClean ? 'clean' : 'unclean') }, close.wasClean ? 'clean' : 'unclean'),
      el('span', { class: 'kv' }, 'by ', el('b', {}, close.initiator.toLowerCase()))
    ];
    if (close.reason) parts.push(el('span', { class: 'kv' }, '“', el('b', {}, close.reason), '”'));
    if (close.error) parts.push(el('span', { class: 'error' }, close.error));
    parts.push(el('span', { class: 'kv', 'data-closed-at': close.closedAt }, ago(close.closedAt)));
    return parts;
  }

  function tickCard(card) {
    const now = Date.now();
    const label = $('.since-label', card);
    const since = $('.since', card);
    if (card.dataset.openSince) {
      label.textContent = 'Open for';
      since.textContent = duration(now - Date.parse(card.dataset.openSince));
    } else if (card.dataset.disconnectedSince) {
      label.textContent = 'Down for';
      since.textContent = duration(now - Date.parse(card.dataset.disconnectedSince));
    } else {
      label.textContent = 'Since';
      since.textContent = '–';
    }
    const next = $('.next', card);
    next.textContent = card.dataset.nextAttemptAt
      ? 'in ' + duration(Date.parse(card.dataset.nextAttemptAt) - now) : '–';
    for (const node of card.querySelectorAll('[data-closed-at]')) node.textContent = ago(node.dataset.closedAt);
  }

  // ---- 24 h availability ----

  function availabilityShown(name) {
    return upstreams.findIndex((u) => u.name === name) < MAX_AVAILABILITY;
  }

  function percent(fraction) {
    if (fraction >= 1) return '100 %';
    return (fraction * 100).toFixed(fraction >= 0.999 ? 2 : 1) + ' %';
  }

  // an availability answer as a bar of open, not open and unknown time and a percentage;
  // returns the three durations in milliseconds
  function drawAvailability(bar, value, data) {
    const span = Date.parse(data.until) - Date.parse(data.since);
    const open = isoDuration(data.open) || 0;
    const monitored = isoDuration(data.monitored) || 0;
    const unknown = isoDuration(data.unknown) || 0;
    const share = (ms) => Math.max(0, Math.min(100, ms / span * 100)) + '%';
    $('.avail-open', bar).style.width = share(open);
    $('.avail-down', bar).style.width = share(monitored - open);
    $('.avail-unknown', bar).style.width = share(unknown);
    if (data.availability === null) {
      value.className = 'avail-value none';
      value.textContent = 'not monitored';
    } else {
      value.className = 'avail-value ' + (data.availability >= 0.99 ? 'good' : data.availability >= 0.9 ? 'fair' : 'poor');
      value.textContent = percent(data.availability);
    }
    return { open, monitored, unknown };
  }

  function fillAvailability(card, name) {
    const value = $('.avail-value', card);
    const bar = $('.avail-bar', card);
    const entry = availability.get(name);
    if (!entry || !entry.data) {
      value.className = 'avail-value none';
      value.textContent = !availabilityShown(name) ? 'shown for the first ' + MAX_AVAILABILITY + ' upstreams'
        : entry ? 'unavailable' : 'loading…';
      return;
    }
    const data = entry.data;
    const { open, monitored, unknown } = drawAvailability(bar, value, data);
    card.dataset.availability = data.availability === null ? '' : String(data.availability);
    const outage = data.longestOutage ? ' · longest outage ' + duration(isoDuration(data.longestOutage.duration) || 0) : '';
    const text = 'open ' + duration(open) + ' · not open ' + duration(monitored - open) + ' · unknown (closewatch not running) '
      + duration(unknown) + ' · ' + data.closes + ' closes, ' + data.uncleanCloses + ' unclean' + outage;
    bar.setAttribute('aria-label', text);
    bar.title = text;
  }

  function requestAvailability() {
    const now = Date.now();
    const shown = upstreams.slice(0, MAX_AVAILABILITY);
    for (const name of [...availability.keys()]) {
      if (!shown.some((u) => u.name === name)) availability.delete(name);
    }
    for (const upstream of shown) {
      const entry = availability.get(upstream.name);
      const due = !entry || now - entry.loadedAt >= AVAILABILITY_REFRESH_MS;
      if (due && !availabilityLoading.has(upstream.name) && !availabilityQueue.includes(upstream.name)) {
        availabilityQueue.push(upstream.name);
      }
    }
    while (availabilityLoading.size < AVAILABILITY_CONCURRENCY && availabilityQueue.length > 0) {
      loadAvailability(availabilityQueue.shift());
    }
  }

  async function loadAvailability(name) {
    availabilityLoading.add(name);
    try {
      const response = await fetch(API + '/upstreams/' + encodeURIComponent(name) + '/availability',
        { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      availability.set(name, { data: await response.json(), loadedAt: Date.now() });
    } catch (error) {
      // tried again at the next refresh, not before
      availability.set(name, { data: null, loadedAt: Date.now() });
    } finally {
      availabilityLoading.delete(name);
      const card = document.querySelector(`.card[data-upstream="${CSS.escape(name)}"]`);
      if (card) fillAvailability(card, name);
      requestAvailability();
    }
  }

  function upstreamsUrl() {
    const params = new URLSearchParams({ limit: String(view.size), sort: 'attention' });
    if (view.state) params.set('state', view.state);
    if (view.q) params.set('q', view.q);
    for (const label of labelFilters()) params.append('label', label);
    if (view.flapping) params.set('flapping', 'true');
    const cursor = view.cursors[view.index];
    if (cursor) params.set('cursor', cursor);
    return API + '/upstreams?' + params;
  }

  // "team=payments, env=prod" -> ['team=payments', 'env=prod']: every one must match
  function labelFilters() {
    return view.label.split(',').map((label) => label.trim()).filter(Boolean);
  }

  async function loadUpstreams() {
    const url = upstreamsUrl();
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      if (response.status === 400 && view.index > 0) {
        // a cursor of filters since changed: back to the first page
        view.cursors = [null];
        view.index = 0;
        return loadUpstreams();
      }
      if (response.status === 400) {
        // a filter the API refuses (a label without "="): its own words, where the cards were
        const problem = await response.json().catch(() => ({}));
        upstreams = [];
        view.next = null;
        view.total = 0;
        renderUpstreams(problem.detail || 'These filters are not valid.');
        $('#upstreams').dataset.query = url.slice(url.indexOf('?') + 1);
        return;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const page = await response.json();
      upstreams = page.items;
      view.next = page.next;
      view.total = page.total;
      lastLoaded = new Date();
      renderUpstreams();
      // which query the cards show, for tests and the benchmark to wait on
      $('#upstreams').dataset.query = url.slice(url.indexOf('?') + 1);
    } catch (error) {
      $('#upstreams-updated').textContent = 'refresh failed: ' + error.message;
    }
  }

  async function loadSummary() {
    try {
      const response = await fetch(API + '/upstreams/summary', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const summary = await response.json();
      $('#stat-open').textContent = summary.byState.OPEN.toLocaleString();
      $('#stat-down').textContent = (summary.total - summary.byState.OPEN - summary.byState.STOPPED).toLocaleString();
      $('#stat-flapping').textContent = summary.flapping.toLocaleString();
      $('#stat-total').textContent = summary.total.toLocaleString();
    } catch (error) {
      $('#upstreams-updated').textContent = 'summary failed: ' + error.message;
    }
  }

  function refresh() {
    if (detail.name) loadDetail();
    else loadUpstreams();
    loadSummary();
  }

  function scheduleReload() {
    if (reloadTimer === null) {
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        refresh();
      }, RELOAD_AFTER_CLOSE_MS);
    }
  }

  // ---- filters and pages, kept in the fragment ----

  function readFragment() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    detail.name = params.get('upstream') || '';
    if (!detail.name) listHash = location.hash || '#';
    $('#detail-back').href = listHash;
    eventFilter.upstream = params.get('events-upstream') || '';
    eventFilter.code = /^\d{1,5}$/.test(params.get('events-code') || '') ? params.get('events-code') : '';
    eventFilter.clean = ['true', 'false'].includes(params.get('events-clean')) ? params.get('events-clean') : '';
    $('#events-upstream').value = detail.name || eventFilter.upstream;
    $('#events-upstream').disabled = Boolean(detail.name);
    $('#events-code').value = eventFilter.code;
    $('#events-clean').value = eventFilter.clean;
    view.state = params.get('state') || '';
    view.q = params.get('q') || '';
    view.label = params.get('label') || '';
    view.flapping = params.get('flapping') === 'true';
    const size = Number(params.get('size'));
    view.size = Number.isInteger(size) && size >= 1 && size <= 1000 ? size : PAGE_SIZE;
    $('#filter-state').value = view.state;
    if ($('#filter-state').value !== view.state) view.state = $('#filter-state').value;
    $('#filter-q').value = view.q;
    $('#filter-label').value = view.label;
    $('#filter-flapping').checked = view.flapping;
  }

  function writeFragment() {
    const params = new URLSearchParams();
    if (detail.name) params.set('upstream', detail.name);
    if (eventFilter.upstream && !detail.name) params.set('events-upstream', eventFilter.upstream);
    if (eventFilter.code) params.set('events-code', eventFilter.code);
    if (eventFilter.clean) params.set('events-clean', eventFilter.clean);
    if (view.state) params.set('state', view.state);
    if (view.q) params.set('q', view.q);
    if (view.label) params.set('label', view.label);
    if (view.flapping) params.set('flapping', 'true');
    if (view.size !== PAGE_SIZE) params.set('size', String(view.size));
    const fragment = params.toString();
    if (!detail.name) listHash = fragment ? '#' + fragment : '#';
    history.replaceState(null, '', fragment ? '#' + fragment : location.pathname + location.search);
  }

  function filtersChanged() {
    view.state = $('#filter-state').value;
    view.q = $('#filter-q').value.trim();
    view.label = $('#filter-label').value.trim();
    view.flapping = $('#filter-flapping').checked;
    view.cursors = [null];
    view.index = 0;
    writeFragment();
    loadUpstreams();
  }

  function bindFilters() {
    let debounce = null;
    $('#filters').addEventListener('submit', (event) => event.preventDefault());
    $('#filter-state').addEventListener('change', filtersChanged);
    $('#filter-flapping').addEventListener('change', filtersChanged);
    for (const input of ['#filter-q', '#filter-label']) {
      $(input).addEventListener('input', () => {
        clearTimeout(debounce);
        debounce = setTimeout(filtersChanged, SEARCH_DEBOUNCE_MS);
      });
    }
    $('#page-next').addEventListener('click', () => {
      if (!view.next) return;
      view.cursors = view.cursors.slice(0, view.index + 1).concat(view.next);
      view.index++;
      loadUpstreams();
    });
    $('#page-prev').addEventListener('click', () => {
      if (view.index === 0) return;
      view.index--;
      loadUpstreams();
    });
    window.addEventListener('hashchange', () => {
      const before = detail.name;
      readFragment();
      view.cursors = [null];
      view.index = 0;
      showView(before !== detail.name);
      loadEvents();
    });
    let eventDebounce = null;
    $('#event-filters').addEventListener('submit', (event) => event.preventDefault());
    $('#events-upstream').addEventListener('input', () => {
      clearTimeout(eventDebounce);
      eventDebounce = setTimeout(eventFiltersChanged, SEARCH_DEBOUNCE_MS);
    });
    $('#events-code').addEventListener('input', () => {
      clearTimeout(eventDebounce);
      eventDebounce = setTimeout(eventFiltersChanged, SEARCH_DEBOUNCE_MS);
    });
    $('#events-clean').addEventListener('change', eventFiltersChanged);
    $('#events-clear').addEventListener('click', () => {
      if (!detail.name) $('#events-upstream').value = '';
      $('#events-code').value = '';
      $('#events-clean').value = '';
      eventFiltersChanged();
    });
    $('#detail-window').addEventListener('change', () => {
      detail.windowHours = Number($('#detail-window').value);
      loadDetailHistory();
    });
  }

  function eventFiltersChanged() {
    if (!detail.name) eventFilter.upstream = $('#events-upstream').value.trim();
    const code = $('#events-code').value.trim();
    eventFilter.code = /^\d{1,5}$/.test(code) && Number(code) <= 65535 ? String(Number(code)) : '';
    eventFilter.clean = $('#events-clean').value;
    writeFragment();
    loadEvents();
  }

  // ---- one upstream's own view ----

  function showView(changed) {
    const inDetail = Boolean(detail.name);
    $('#list-view').hidden = inDetail;
    $('#detail-view').hidden = !inDetail;
    document.title = inDetail ? 'closewatch · ' + detail.name : 'closewatch · upstream status';
    clearTimeout(detail.historyTimer);
    detail.historyTimer = null;
    if (!inDetail) {
      detail.upstream = null;
      loadUpstreams();
      return;
    }
    if (changed) {
      detail.upstream = null;
      detail.historyLoadedAt = 0;
      $('#detail-heading').textContent = detail.name;
      $('#detail-crumb').textContent = detail.name;
      $('#detail-timeline').replaceChildren();
      $('#detail-heading').focus();
    }
    loadDetail();
    loadDetailHistory();
  }

  async function loadDetail() {
    const name = detail.name;
    if (!name) return;
    try {
      const response = await fetch(API + '/upstreams/' + encodeURIComponent(name), { headers: { Accept: 'application/json' } });
      if (name !== detail.name) return;
      if (response.status === 404) {
        detail.upstream = null;
        renderDetail('No upstream named “' + name + '” is monitored now. Its recorded closes, if any, are below.');
        return;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      detail.upstream = await response.json();
      renderDetail(null);
    } catch (error) {
      $('#detail-updated').textContent = 'refresh failed: ' + error.message;
    }
  }

  function renderDetail(missing) {
    const upstream = detail.upstream;
    $('#detail-missing').hidden = !missing;
    $('#detail-missing').textContent = missing || '';
    const badge = $('#detail-badge');
    if (!upstream) {
      badge.className = 'badge idle';
      badge.textContent = 'Not monitored';
      $('#detail-url').textContent = '';
      return;
    }
    const state = STATES[upstream.state] || { label: upstream.state, tone: 'idle' };
    badge.className = 'badge ' + state.tone;
    badge.textContent = state.label;
    $('#detail-url').textContent = upstream.url;
    $('#detail-attempt').textContent = upstream.attempt;
    $('#detail-messages').textContent = Number(upstream.messagesReceived).toLocaleString();
    $('#detail-closes-hour').textContent = upstream.closesLastHour ?? '–';
    $('#detail-unclean-hour').textContent = upstream.uncleanClosesLastHour ?? '–';
    $('#detail-flapping').textContent = upstream.flapping ? 'yes, 3+ closes in 10 min' : 'no';
    const labels = Object.entries(upstream.labels || {}).map(([key, value]) => key + '=' + value).join(', ');
    $('#detail-labels').textContent = labels || 'none';
    $('#detail-labels').title = labels;
    // with closewatch.cluster: the replica that watches it
    $('#detail-owner-row').hidden = !upstream.owner;
    $('#detail-owner').textContent = upstream.owner || '–';
    $('#detail-updated').textContent = 'updated ' + clockTime(new Date().toISOString());
    tickDetail();
  }

  function tickDetail() {
    const upstream = detail.upstream;
    if (!upstream) return;
    const now = Date.now();
    if (upstream.openSince) {
      $('#detail-since-label').textContent = 'Open for';
      $('#detail-since').textContent = duration(now - Date.parse(upstream.openSince));
    } else if (upstream.disconnectedSince) {
      $('#detail-since-label').textContent = 'Down for';
      $('#detail-since').textContent = duration(now - Date.parse(upstream.disconnectedSince));
    } else {
      $('#detail-since-label').textContent = 'Since';
      $('#detail-since').textContent = '–';
    }
    $('#detail-next').textContent = upstream.nextAttemptAt ? 'in ' + duration(Date.parse(upstream.nextAttemptAt) - now) : '–';
  }

  function scheduleDetailHistory(delay) {
    if (detail.historyTimer === null && detail.name) {
      detail.historyTimer = setTimeout(() => {
        detail.historyTimer = null;
        loadDetailHistory();
      }, delay);
    }
  }

  async function loadDetailHistory() {
    const name = detail.name;
    if (!name) return;
    const until = new Date();
    const since = new Date(until.getTime() - detail.windowHours * 3600 * 1000);
    const window = new URLSearchParams({ since: since.toISOString(), until: until.toISOString() });
    const closes = new URLSearchParams({ upstream: name, since: since.toISOString(), limit: String(TIMELINE_EVENTS) });
    detail.historyLoadedAt = Date.now();
    try {
      const [availabilityResponse, eventsResponse] = await Promise.all([
        fetch(API + '/upstreams/' + encodeURIComponent(name) + '/availability?' + window, { headers: { Accept: 'application/json' } }),
        fetch(API + '/close-events?' + closes, { headers: { Accept: 'application/json' } })]);
      if (name !== detail.name) return;
      const data = availabilityResponse.ok ? await availabilityResponse.json() : null;
      const page = eventsResponse.ok ? await eventsResponse.json() : { items: [], next: null };
      renderDetailAvailability(data);
      renderTimeline(since.getTime(), until.getTime(), page.items, page.next !== null);
    } catch (error) {
      $('#detail-updated').textContent = 'history failed: ' + error.message;
    } finally {
      scheduleDetailHistory(DETAIL_HISTORY_REFRESH_MS);
    }
  }

  function renderDetailAvailability(data) {
    const value = $('#detail-avail-value');
    const bar = $('#detail-avail-bar');
    if (!data) {
      value.className = 'avail-value none';
      value.textContent = 'not recorded';
      $('#detail-avail-facts').textContent = 'No availability: the upstream has no recorded history.';
      bar.setAttribute('aria-label', 'No availability recorded');
      return;
    }
    const { open, monitored, unknown } = drawAvailability(bar, value, data);
    const sessions = data.sessions && data.sessions.count
      ? ' · ' + data.sessions.count + ' sessions, median ' + duration(isoDuration(data.sessions.median) || 0) : '';
    const outage = data.longestOutage ? ' · longest outage ' + duration(isoDuration(data.longestOutage.duration) || 0)
      + ' from ' + clockTime(data.longestOutage.start) : '';
    const text = 'open ' + duration(open) + ' · not open ' + duration(monitored - open) + ' · unknown (closewatch not running) '
      + duration(unknown) + ' · ' + data.closes + ' closes, ' + data.uncleanCloses + ' unclean' + sessions + outage;
    $('#detail-avail-facts').textContent = text;
    bar.setAttribute('aria-label', 'Availability ' + value.textContent + ': ' + text);
  }

  function renderTimeline(start, end, items, truncated) {
    const track = $('#detail-timeline');
    const span = end - start;
    const at = (ms) => Math.max(0, Math.min(100, (ms - start) / span * 100));
    const marks = [];
    for (const event of items) {
      const closedAt = Date.parse(event.closedAt);
      if (event.openedAt) {
        const opened = Math.max(start, Date.parse(event.openedAt));
        marks.push(el('span', { class: 'session', style: `left:${at(opened)}%;width:${Math.max(0.2, at(closedAt) - at(opened))}%` }));
      }
      marks.push(el('span', {
        class: 'close ' + (event.wasClean ? 'clean' : 'unclean'), style: `left:${at(closedAt)}%`,
        title: clockTime(event.closedAt) + ' · ' + event.code + ' ' + codeName(event.code) + (event.wasClean ? ' · clean' : ' · unclean')
      }));
    }
    if (detail.upstream && detail.upstream.openSince) {
      const opened = Math.max(start, Date.parse(detail.upstream.openSince));
      marks.push(el('span', { class: 'session', style: `left:${at(opened)}%;width:${Math.max(0.2, 100 - at(opened))}%` }));
    }
    track.replaceChildren(...marks);
    const unclean = items.filter((event) => !event.wasClean).length;
    track.setAttribute('aria-label', `${items.length}${truncated ? '+' : ''} closes in the last ${windowText()}, ${unclean} unclean`
      + (items.length ? ', the latest at ' + clockTime(items[0].closedAt) : ''));
    $('#detail-axis-start').textContent = windowText() + ' ago' + (truncated ? ' (latest ' + TIMELINE_EVENTS + ' closes drawn)' : '');
  }

  function windowText() {
    return detail.windowHours === 1 ? '1 hour' : detail.windowHours === 168 ? '7 days' : detail.windowHours + ' hours';
  }

  // ---- close event table ----

  function row(event, fresh) {
    const tr = el('tr', { 'data-id': event.id, 'data-upstream': event.upstream, class: fresh ? 'new' : null },
      el('td', { class: 'time' }, clockTime(event.closedAt), el('small', { 'data-closed-at': event.closedAt }, ago(event.closedAt))),
      el('td', { class: 'upstream' }, el('a', { href: '#upstream=' + encodeURIComponent(event.upstream) }, event.upstream)),
      el('td', {}, el('span', { class: 'code' }, event.code), ' ', el('span', { class: 'code-name' }, codeName(event.code))),
      el('td', { class: 'reason' }, event.reason || ''),
      el('td', {}, el('span', { class: 'pill ' + (event.wasClean ? 'clean' : 'unclean') }, String(event.wasClean))),
      el('td', {}, event.initiator),
      el('td', {}, event.phase),
      el('td', {}, event.error ? el('span', { class: 'error', title: event.errorMessage || '' }, event.error) : ''),
      el('td', { class: 'num' }, event.openedAt ? duration(isoDuration(event.duration) || 0) : '–'));
    return tr;
  }

  function renderEvents(freshIds, emptyText) {
    const sorted = [...events.values()].sort((a, b) => b.id - a.id).slice(0, MAX_ROWS);
    for (const id of [...events.keys()]) {
      if (!sorted.some((event) => event.id === id)) events.delete(id);
    }
    const tbody = $('#events tbody');
    if (sorted.length === 0) {
      tbody.replaceChildren(el('tr', { class: 'placeholder' }, el('td', { colspan: 9 }, emptyText || 'No close events recorded yet.')));
    } else {
      tbody.replaceChildren(...sorted.map((event) => row(event, freshIds.has(event.id))));
    }
    $('#stat-unclean').textContent = sorted.filter((event) => !event.wasClean).length;
  }

  function eventsUpstream() {
    return detail.name || eventFilter.upstream;
  }

  function matchesEventFilter(event) {
    const upstream = eventsUpstream();
    return (!upstream || event.upstream === upstream)
      && (!eventFilter.code || event.code === Number(eventFilter.code))
      && (!eventFilter.clean || String(event.wasClean) === eventFilter.clean);
  }

  let eventsRequest = 0;
  let eventsKey = null;

  async function loadEvents() {
    const params = new URLSearchParams({ limit: String(MAX_ROWS) });
    if (eventsUpstream()) params.set('upstream', eventsUpstream());
    if (eventFilter.code) params.set('code', eventFilter.code);
    if (eventFilter.clean) params.set('wasClean', eventFilter.clean);
    const request = ++eventsRequest;
    const key = params.toString();
    const filtered = key !== 'limit=' + MAX_ROWS;
    try {
      const response = await fetch(API + '/close-events?' + params, { headers: { Accept: 'application/json' } });
      if (request !== eventsRequest) return;
      if (response.status === 400) {
        // a filter the API refuses, e.g. an upstream that neither exists nor has history: its own words
        const problem = await response.json().catch(() => ({}));
        events.clear();
        eventsKey = null;
        renderEvents(new Set(), problem.detail || 'These filters are not valid.');
        $('#events-status').textContent = problem.detail || '';
        return;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const page = await response.json();
      // other filters: other rows; the same: merged, keeping rows the stream brought meanwhile
      if (key !== eventsKey) events.clear();
      eventsKey = key;
      for (const event of page.items) events.set(event.id, event);
      renderEvents(new Set(), filtered ? 'No close event matches these filters.' : null);
      $('#events-status').textContent = filtered ? page.items.length + (page.next ? '+' : '') + ' matching' : '';
    } catch (error) {
      $('#events tbody').replaceChildren(el('tr', { class: 'placeholder' },
        el('td', { colspan: 9 }, 'Could not load close events: ' + error.message)));
    }
  }

  // ---- live stream ----

  function setLive(tone, text) {
    $('#live-dot').className = 'dot dot-' + tone;
    $('#live-text').textContent = text;
  }

  // what the stream changed since the last render: drawn at most every STREAM_RENDER_MS, so
  // that hundreds of closes a second cost ten renders, not hundreds
  const streamed = { fresh: new Set(), events: false, upstreams: false, timer: null };

  function scheduleStreamRender() {
    if (streamed.timer !== null) return;
    streamed.timer = setTimeout(() => {
      streamed.timer = null;
      if (streamed.events) renderEvents(streamed.fresh);
      if (streamed.upstreams) renderUpstreams();
      streamed.fresh = new Set();
      streamed.events = false;
      streamed.upstreams = false;
    }, STREAM_RENDER_MS);
  }

  function connectStream() {
    if (!('EventSource' in window)) {
      setLive('bad', 'Live updates unavailable in this browser; refreshing every ' + REFRESH_MS / 1000 + 's');
      setInterval(loadEvents, REFRESH_MS);
      return;
    }
    const source = new EventSource(API + '/close-events/stream');
    source.onopen = () => setLive('ok', 'Live');
    source.onerror = () => setLive(source.readyState === EventSource.CLOSED ? 'bad' : 'wait',
      source.readyState === EventSource.CLOSED ? 'Live stream closed' : 'Reconnecting to live stream…');
    source.addEventListener('close', (message) => {
      const event = JSON.parse(message.data);
      if (detail.name && event.upstream === detail.name) {
        loadDetail();
        if (Date.now() - detail.historyLoadedAt > DETAIL_HISTORY_AFTER_CLOSE_MS) {
          clearTimeout(detail.historyTimer);
          detail.historyTimer = null;
          scheduleDetailHistory(DETAIL_HISTORY_AFTER_CLOSE_MS);
        }
      }
      if (matchesEventFilter(event)) {
        if (!events.has(event.id)) streamed.fresh.add(event.id);
        events.set(event.id, event);
        streamed.events = true;
      }
      const upstream = upstreams.find((u) => u.name === event.upstream);
      if (upstream && (!upstream.lastClose || upstream.lastClose.id < event.id)) {
        upstream.lastClose = event;
        streamed.upstreams = true;
      }
      scheduleStreamRender();
      if (!detail.name) scheduleReload();
    });
  }

  function tick() {
    for (const card of document.querySelectorAll('.card')) tickCard(card);
    tickDetail();
    for (const node of document.querySelectorAll('#events [data-closed-at]')) node.textContent = ago(node.dataset.closedAt);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    // streaming before loading: an event closed in between arrives live, and the map
    // keyed by id keeps it once
    readFragment();
    bindFilters();
    connectStream();
    showView(true);
    await Promise.all([loadSummary(), loadEvents()]);
    setInterval(refresh, REFRESH_MS);
    setInterval(tick, 1000);
  });
})();
