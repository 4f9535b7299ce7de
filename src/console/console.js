// rili's sandbox console: plain modern JS over the admin API (/rili/v1), no build step.
// FullCalendar 6's standard bundle (served by rili from node_modules) draws the calendars.
'use strict';

const API = '/rili/v1';
const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem('rili-admin-token') ?? '', directory: null, calendar: null, calendarId: '', clock: null };

// ---- the admin API -------------------------------------------------------------------------------

function headers(extra = {}) {
  return state.token ? { ...extra, authorization: `Bearer ${state.token}` } : extra;
}

/** Asks for the admin token (a rili started with --admin-token); resolves once one is entered. */
let asking;
function askToken() {
  asking ??= new Promise((resolve) => {
    const dialog = $('token-dialog');
    dialog.addEventListener('close', () => {
      state.token = $('token-input').value.trim();
      sessionStorage.setItem('rili-admin-token', state.token);
      asking = undefined;
      resolve();
    }, { once: true });
    dialog.showModal();
  });
  return asking;
}

class ApiError extends Error {}

async function api(method, path, body) {
  for (;;) {
    const res = await fetch(API + path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) {
      await askToken();
      continue;
    }
    const text = await res.text();
    const data = text ? JSON.parse(text) : {};
    if (!res.ok) {
      const message = data.error ? `${data.error.code}: ${data.error.message}` : `HTTP ${res.status}`;
      banner(`${method} ${path}: ${message}`, true);
      throw new ApiError(message);
    }
    return data;
  }
}

/** Ends the stream's current connection; `follow` connects again at once (with the filters in force). */
let restartStream = () => {};

/** Follows the live stream (Server-Sent Events) through fetch, so the admin token can go in a header. */
async function follow(query, onEvent, onStatus) {
  for (;;) {
    const controller = new AbortController();
    restartStream = () => controller.abort();
    try {
      const res = await fetch(`${API}/stream?${query()}`, { headers: headers({ accept: 'text/event-stream' }), signal: controller.signal });
      if (res.status === 401) {
        await askToken();
        continue;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onStatus(true);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = {};
          for (const line of block.split('\n')) {
            if (!line || line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
          }
          if (fields.event && fields.data) onEvent(fields.event, JSON.parse(fields.data));
        }
      }
    } catch {
      // Restarted, or the server went away: connect again (after a pause unless restarted).
    }
    if (controller.signal.aborted) continue;
    onStatus(false);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

// ---- small helpers -------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

function banner(text, isError = false) {
  const b = $('banner');
  b.textContent = text;
  b.className = isError ? 'error' : 'ok';
  b.hidden = false;
  clearTimeout(banner.timer);
  banner.timer = setTimeout(() => { b.hidden = true; }, isError ? 8000 : 3000);
}

function copyButton(value, label = 'copy') {
  return el('button', {
    type: 'button', class: 'copy', title: `copy ${value}`,
    onclick: handled(async () => {
      try {
        await navigator.clipboard.writeText(value);
        banner('copied');
      } catch {
        // Clipboard access needs a secure context or a user grant: show it to copy by hand.
        window.prompt('Copy:', value);
      }
    }),
  }, label);
}

/** An event handler that runs `fn` and shows its failure (api() has shown an API error already). */
const handled = (fn) => (...args) => {
  fn(...args).catch((error) => { if (!(error instanceof ApiError)) banner(error.message, true); });
};

const time = (ms) => new Date(ms).toLocaleString(undefined, { hour12: false });
const json = (v) => JSON.stringify(v, null, 2);

/** datetime-local's value for an instant, in the browser's zone. */
function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// ---- tabs and the address -------------------------------------------------------------------------

/** The address is `#<tab>` plus `&key=value`s (e.g. `#calendar&cal=<id>&date=2026-12-01&view=timeGridWeek`). */
function route() {
  const [tab, ...rest] = location.hash.slice(1).split('&');
  return { tab: tab || 'directory', params: new URLSearchParams(rest.join('&')) };
}

function showTab() {
  const { tab, params } = route();
  for (const section of document.querySelectorAll('.tab')) section.hidden = section.id !== `tab-${tab}`;
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.tab === tab);
  if (tab === 'calendar') openCalendar(params);
  if (tab === 'deliveries') handled(loadDeliveries)();
  if (tab === 'sandbox') handled(loadSandbox)();
}

// ---- directory ------------------------------------------------------------------------------------

async function loadDirectory() {
  state.directory = await api('GET', '/directory');
  renderDirectory();
  fillCalendarSelect();
}

function calendarLinks(calendars) {
  return calendars.map((c) => el('a', { href: `#calendar&cal=${encodeURIComponent(c.calendar_id)}`, class: 'cal-link', title: c.calendar_id }, `${c.summary || c.type} (${c.type})`));
}

function renderDirectory() {
  const root = $('directory');
  root.replaceChildren();
  for (const t of state.directory.tenants) {
    const mint = el('form', { class: 'mint', onsubmit: (e) => { e.preventDefault(); handled(mintToken)(t, e.currentTarget); } },
      el('label', {}, 'App ', el('select', { name: 'app' }, t.apps.map((a) => el('option', { value: a.app_id }, `${a.name || a.app_id} (${a.platform})`)))),
      ' ',
      el('label', {}, 'User ', el('select', { name: 'user' }, t.users.map((u) => el('option', { value: u.id }, u.name)))),
      ' ', el('button', {}, 'Mint a user token'),
      el('output', { name: 'out' }));
    root.append(el('article', { class: 'tenant', dataset: { tenant: t.tenant_key } },
      el('h2', {}, t.name, ' ', el('code', {}, t.tenant_key), copyButton(t.tenant_key)),
      el('h3', {}, 'Apps'),
      el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, ['Name', 'Platform', 'App id / key', 'Secret', 'Calendar'].map((h) => el('th', {}, h)))),
        el('tbody', {}, t.apps.map((a) => el('tr', {},
          el('td', {}, a.name), el('td', {}, a.platform),
          el('td', {}, el('code', {}, a.app_id), copyButton(a.app_id)),
          el('td', {}, el('code', { class: 'secret' }, '••••••'), copyButton(a.secret, 'copy secret')),
          el('td', {}, calendarLinks(a.calendars)))))),
      t.apps.length > 0 && t.users.length > 0 ? mint : null,
      el('h3', {}, 'Users'),
      el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, ['Name', 'user_id', 'open_id', 'union_id', 'Email', 'Calendars'].map((h) => el('th', {}, h)))),
        el('tbody', {}, t.users.map((u) => el('tr', { dataset: { user: u.id } },
          el('td', {}, u.name),
          ...[u.user_id, u.open_id, u.union_id].map((v) => el('td', {}, el('code', {}, v), copyButton(v))),
          el('td', {}, u.email ?? ''),
          el('td', {}, calendarLinks(u.calendars)))))),
      t.rooms.length === 0 ? null : [
        el('h3', {}, 'Rooms'),
        el('table', { class: 'grid' },
          el('thead', {}, el('tr', {}, ['Name', 'Room id', 'Capacity', 'Calendar'].map((h) => el('th', {}, h)))),
          el('tbody', {}, t.rooms.map((r) => el('tr', {},
            el('td', {}, r.name), el('td', {}, el('code', {}, r.room_id), copyButton(r.room_id)), el('td', {}, r.capacity),
            el('td', {}, calendarLinks(r.calendars)))))),
      ]));
  }
}

async function mintToken(tenant, form) {
  const data = await api('POST', '/user-tokens', { app: form.elements.app.value, user: form.elements.user.value });
  const out = form.elements.out;
  out.replaceChildren(' ', el('code', { class: 'token' }, data.access_token), copyButton(data.access_token), ` expires in ${data.expire} s`);
}

// ---- calendars ------------------------------------------------------------------------------------

function fillCalendarSelect() {
  const select = $('calendar-select');
  select.replaceChildren(el('option', { value: '' }, '— pick a calendar —'));
  for (const t of state.directory.tenants) {
    const group = el('optgroup', { label: t.name });
    const add = (who, calendars) => calendars.forEach((c) => group.append(el('option', { value: c.calendar_id }, `${who}: ${c.summary || c.type}${c.type === 'primary' ? '' : ` (${c.type})`}`)));
    t.users.forEach((u) => add(u.name, u.calendars));
    t.rooms.forEach((r) => add(`Room ${r.name}`, r.calendars));
    t.apps.forEach((a) => add(`App ${a.name || a.app_id}`, a.calendars));
    select.append(group);
  }
  select.value = state.calendarId;
}

function eventSource(info, success, failure) {
  if (!state.calendarId) return success([]);
  const q = new URLSearchParams({ start: info.start.toISOString(), end: info.end.toISOString() });
  void api('GET', `/calendars/${encodeURIComponent(state.calendarId)}/events?${q}`).then((data) => {
    $('calendar-note').textContent = data.truncated ? 'more events than shown: narrow the view' : `${data.events.length} in view`;
    success(data.events.map((e) => ({
      id: `${e.id}`,
      title: e.title || '(no title)',
      start: e.start,
      end: e.end,
      allDay: e.all_day,
      classNames: [`kind-${e.kind}`],
      extendedProps: { kind: e.kind, event: e.event },
    })));
  }, failure);
}

function showEvent(fcEvent) {
  const { kind, event } = fcEvent.extendedProps;
  $('event-title').textContent = event.summary || '(no title)';
  const when = (t) => (t.kind === 'date' ? t.date : `${time(t.epoch * 1000)} (${t.timeZone})`);
  const fields = [
    ['Event id', event.event_id], ['Kind', kind === 'single' ? 'single event' : kind === 'instance' ? 'instance of a series' : 'exception of a series'],
    ['Start', when(event.start)], ['End', when(event.end)], ['Recurrence', event.recurrence || '—'],
    ['Series', event.recurringEventId || (event.recurrence ? `${event.uid}_0` : '—')],
    ['Organizer calendar', event.calendarId], ['Status', event.status], ['Visibility', event.visibility],
    ['Location', event.location?.name ?? '—'], ['Description', event.description || '—'],
  ];
  $('event-fields').replaceChildren(...fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  $('event-json').textContent = json(event);
  $('event-detail').hidden = false;
  // The panel took room from the calendar: let FullCalendar measure again.
  state.calendar.updateSize();
}

function openCalendar(params) {
  const id = params.get('cal') ?? state.calendarId;
  const view = params.get('view');
  const date = params.get('date');
  if (!state.calendar) {
    state.calendar = new FullCalendar.Calendar($('calendar'), {
      initialView: view ?? 'timeGridWeek',
      initialDate: date ?? (state.clock ? new Date(state.clock.now_ms) : undefined),
      headerToolbar: { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay' },
      nowIndicator: true,
      scrollTime: '08:00:00',
      now: () => (state.clock ? new Date(state.clock.now_ms) : new Date()),
      height: 'auto',
      firstDay: 1,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      events: eventSource,
      eventClick: (info) => showEvent(info.event),
    });
    state.calendar.render();
  } else {
    if (view) state.calendar.changeView(view);
    if (date) state.calendar.gotoDate(date);
  }
  if (id !== state.calendarId) {
    state.calendarId = id;
    $('calendar-select').value = id;
    $('event-detail').hidden = true;
  }
  state.calendar.updateSize();
  state.calendar.refetchEvents();
}

// ---- request journal ------------------------------------------------------------------------------

const journal = { lastSeq: 0, entries: new Map() };

function journalRow(entry) {
  const status = String(entry.status);
  return el('tr', {
    class: `status-${status[0]}xx`, dataset: { seq: entry.seq, path: entry.path },
    onclick: () => showRequest(entry.seq),
  },
  el('td', {}, entry.seq), el('td', {}, time(entry.at_ms)), el('td', {}, entry.dialect), el('td', {}, entry.method),
  el('td', { class: 'path' }, entry.path), el('td', {}, entry.fault === undefined ? status : `${status} (fault ${entry.fault})`),
  el('td', {}, entry.duration_ms.toFixed(1)), el('td', {}, entry.app_id ?? ''));
}

function addRequest(entry) {
  if (entry.seq <= journal.lastSeq) return;
  journal.lastSeq = entry.seq;
  journal.entries.set(entry.seq, entry);
  const rows = $('journal-rows');
  rows.prepend(journalRow(entry));
  // The journal keeps its own bound; the page shows the newest 500.
  while (rows.children.length > 500) {
    journal.entries.delete(Number(rows.lastElementChild.dataset.seq));
    rows.lastElementChild.remove();
  }
}

function showRequest(seq) {
  const e = journal.entries.get(seq);
  if (!e) return;
  $('journal-title').textContent = `${e.method} ${e.url} → ${e.status}`;
  $('journal-request').textContent = json(e.request);
  $('journal-response').textContent = json(e.response);
  $('journal-detail').hidden = false;
}

function journalFilter() {
  const q = new URLSearchParams();
  if ($('journal-dialect').value) q.set('dialect', $('journal-dialect').value);
  if ($('journal-path').value.trim()) q.set('path', $('journal-path').value.trim());
  return q;
}

async function reloadJournal() {
  const q = journalFilter();
  q.set('limit', '200');
  const data = await api('GET', `/requests?${q}`);
  $('journal-rows').replaceChildren();
  journal.entries.clear();
  journal.lastSeq = 0;
  data.requests.forEach(addRequest);
  // The stream carries the old filters: connect again with the new ones, after what is shown.
  restartStream();
}

// ---- deliveries -----------------------------------------------------------------------------------

const deliveries = new Map();

function deliveryRow(d) {
  const answer = d.last_attempt?.answer;
  return el('tr', { class: `delivery-${d.status}`, dataset: { delivery: d.id }, onclick: () => showDelivery(d.id) },
    el('td', {}, time(d.created_at)), el('td', {}, d.app_id), el('td', {}, d.event_type), el('td', {}, d.status),
    el('td', {}, d.attempts), el('td', {}, answer ? `${answer.status}${d.last_attempt.note ? ` (${d.last_attempt.note})` : ''}` : d.last_attempt?.note ?? '—'),
    el('td', {}, el('button', {
      type: 'button',
        onclick: handled(async (e) => {
        e.stopPropagation();
        upsertDelivery(await api('POST', `/deliveries/${encodeURIComponent(d.id)}/redeliver`));
        banner('queued again');
      }),
    }, 'Redeliver')));
}

function upsertDelivery(d) {
  deliveries.set(d.id, d);
  const rows = $('delivery-rows');
  const row = deliveryRow(d);
  const old = rows.querySelector(`tr[data-delivery="${CSS.escape(d.id)}"]`);
  if (old) old.replaceWith(row);
  else rows.prepend(row);
}

async function loadDeliveries() {
  const data = await api('GET', '/deliveries?limit=100');
  $('delivery-rows').replaceChildren();
  deliveries.clear();
  data.deliveries.reverse().forEach(upsertDelivery);
}

function showDelivery(id) {
  const d = deliveries.get(id);
  $('delivery-title').textContent = `${d.event_type} → ${d.app_id}`;
  $('delivery-json').textContent = json(d);
  $('delivery-detail').hidden = false;
}

// ---- clock, faults, snapshots, reset ---------------------------------------------------------------

function showClock(c) {
  state.clock = { ...c, readAt: Date.now() };
  const text = `${time(c.now_ms)}${c.frozen ? ' (frozen)' : ''}`;
  $('clock-badge').textContent = text;
  $('clock-state').textContent = text;
  $('clock-at').value = localInput(c.now_ms);
}

async function loadClock() {
  showClock(await api('GET', '/clock'));
}

async function moveClock(change) {
  showClock(await api('PUT', '/clock', change));
  state.calendar?.refetchEvents();
}

async function loadSandbox() {
  await loadClock();
  const faults = await api('GET', '/faults');
  $('fault-rows').replaceChildren(...faults.rules.map((r, i) => {
    const { matched, fired, ...rule } = r;
    return el('tr', {}, el('td', {}, i), el('td', {}, el('code', {}, JSON.stringify(rule))), el('td', {}, matched ?? ''), el('td', {}, fired ?? ''));
  }));
  const snaps = await api('GET', '/snapshots');
  $('snapshot-rows').replaceChildren(...snaps.snapshots.map((s) => el('tr', {},
    el('td', {}, s.name), el('td', {}, time(s.created_at_ms)),
    el('td', {},
      el('button', { type: 'button', onclick: handled(async () => { await api('POST', `/snapshots/${encodeURIComponent(s.name)}/restore`); banner(`restored ${s.name}`); await afterStateChange(); }) }, 'Restore'),
      el('button', { type: 'button', onclick: handled(async () => { await api('DELETE', `/snapshots/${encodeURIComponent(s.name)}`); await loadSandbox(); }) }, 'Delete')))));
}

async function afterStateChange() {
  await loadDirectory();
  state.calendar?.refetchEvents();
  await loadSandbox();
}

function wireSandbox() {
  $('clock-set').addEventListener('submit', (e) => {
    e.preventDefault();
    void moveClock({ now_ms: new Date($('clock-at').value).getTime() });
  });
  for (const b of document.querySelectorAll('[data-advance]')) b.addEventListener('click', () => void moveClock({ advance_ms: Number(b.dataset.advance) }));
  $('clock-freeze').addEventListener('click', () => void moveClock({ frozen: true }));
  $('clock-run').addEventListener('click', () => void moveClock({ frozen: false }));
  $('clock-real').addEventListener('click', () => void moveClock({ real: true }));
  $('reset').addEventListener('click', handled(async () => {
    if (!window.confirm('Reset rili to its seed? Everything clients added goes.')) return;
    await api('POST', '/reset', {});
    banner('reset to the seed');
    await afterStateChange();
  }));
  $('snapshot-save').addEventListener('submit', handled(async (e) => {
    e.preventDefault();
    await api('POST', '/snapshots', { name: $('snapshot-name').value });
    banner(`saved ${$('snapshot-name').value}`);
    await loadSandbox();
  }));
  $('faults-put').addEventListener('submit', handled(async (e) => {
    e.preventDefault();
    let body;
    try {
      body = JSON.parse($('faults-json').value);
    } catch (error) {
      banner(`not JSON: ${error.message}`, true);
      return;
    }
    await api('PUT', '/faults', body);
    banner('fault rules replaced');
    await loadSandbox();
  }));
  $('faults-clear').addEventListener('click', handled(async () => {
    await api('DELETE', '/faults');
    await loadSandbox();
  }));
}

// ---- start ----------------------------------------------------------------------------------------

let refetchTimer;
/** A change to the calendar on screen: refetch once the burst is over. */
function onChange(change) {
  if (!state.calendar || (change.calendar_id !== state.calendarId && change.object !== 'event')) return;
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(() => state.calendar.refetchEvents(), 150);
}

async function start() {
  for (const b of document.querySelectorAll('[data-close]')) {
    b.addEventListener('click', () => {
      $(b.dataset.close).hidden = true;
      state.calendar?.updateSize();
    });
  }
  $('calendar-select').addEventListener('change', (e) => { location.hash = `calendar&cal=${encodeURIComponent(e.target.value)}`; });
  $('journal-dialect').addEventListener('change', () => void reloadJournal());
  $('journal-path').addEventListener('change', () => void reloadJournal());
  $('journal-clear').addEventListener('click', handled(async () => { await api('DELETE', '/requests'); await reloadJournal(); }));
  $('deliveries-refresh').addEventListener('click', () => void loadDeliveries());
  wireSandbox();
  await loadClock();
  await loadDirectory();
  await reloadJournal();
  window.addEventListener('hashchange', showTab);
  showTab();
  // One stream for the page: requests for the journal, changes to refresh the calendar, deliveries.
  void follow(() => {
    const q = journalFilter();
    q.set('after', String(journal.lastSeq));
    return q;
  }, (type, data) => {
    if (type === 'request') addRequest(data);
    else if (type === 'change') onChange(data);
    else if (type === 'delivery') upsertDelivery(data);
  }, (live) => {
    $('journal-live').textContent = live ? 'live' : 'reconnecting…';
    $('journal-live').classList.toggle('on', live);
  });
  // The clock may be moved by tests through the API: keep the badge current.
  setInterval(() => void loadClock().catch(() => {}), 5000);
}

start().catch((error) => banner(`the console could not start: ${error.message}`, true));
