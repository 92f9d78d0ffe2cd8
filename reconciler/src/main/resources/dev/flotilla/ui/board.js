// The board's live updates: one EventSource on /ui/events; 'device' events move a device between states,
// 'history' events add a line to the open page's event list. Text only (textContent), never HTML.
(() => {
  'use strict';
  const STATES = ['failing', 'offline', 'drifted', 'updating', 'pending-claim', 'in-sync'];
  const live = document.getElementById('live');

  const show = (text) => { if (live) live.textContent = text; };

  const bump = (selector, by) => {
    document.querySelectorAll(selector).forEach((cell) => {
      cell.textContent = String(Math.max(0, Number(cell.textContent) + by));
    });
  };

  const compliance = () => {
    const summary = document.querySelector('.summary');
    const out = document.getElementById('compliance');
    if (!summary || !out) return;
    const count = (s) => Number(summary.querySelector(`[data-count="${s}"]`).textContent);
    const claimed = Number(summary.dataset.total) - count('pending-claim');
    out.textContent = `${claimed === 0 ? 100 : Math.floor((100 * count('in-sync')) / claimed)}%`;
  };

  const move = (tenant, from, to) => {
    if (!from || from === to) return;
    const row = `tr[data-tenant="${CSS.escape(tenant)}"]`;
    bump(`.summary [data-count="${from}"], ${row} [data-count="${from}"]`, -1);
    bump(`.summary [data-count="${to}"], ${row} [data-count="${to}"]`, 1);
    compliance();
  };

  const setBadge = (badge, d) => {
    badge.className = `badge ${d.state}`;
    badge.textContent = d.label;
  };

  const onDevice = (d) => {
    const rows = document.querySelectorAll(`tr[data-device="${CSS.escape(d.name)}"]`);
    let from = d.previous;
    rows.forEach((row) => {
      from = STATES.find((s) => row.classList.contains(s)) || from;
      STATES.forEach((s) => row.classList.remove(s));
      row.classList.add(d.state);
      setBadge(row.querySelector('[data-state] .badge'), d);
      row.querySelector('[data-problem]').textContent = d.problem;
      row.querySelector('[data-apps]').textContent = d.apps;
    });
    move(d.tenant, from, d.state);
    const badge = document.querySelector(`[data-device-state="${CSS.escape(d.name)}"]`);
    if (badge) {
      setBadge(badge, d);
      document.getElementById('device-problem').textContent = d.problem;
    }
  };

  const onHistory = (e) => {
    const device = document.querySelector('[data-device-state]');
    const list = document.getElementById('recent')
      || (device && device.dataset.deviceState === e.device ? document.getElementById('device-history') : null);
    if (!list) return;
    const none = list.querySelector('.none');
    if (none) none.remove();
    const item = document.createElement('li');
    item.className = `event ${e.kind}`;
    const time = document.createElement('time');
    time.dateTime = e.at;
    time.textContent = e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = e.kind;
    const summary = document.createElement('span');
    summary.className = 'summary';
    summary.textContent = [e.device || e.tenant || '', e.summary || ''].join(' ').trim();
    item.append(time, ' ', kind, ' ', summary);
    list.prepend(item);
  };

  if (!live || !window.EventSource) return;
  const events = new EventSource('/ui/events');
  events.onopen = () => show('live');
  events.onerror = () => show('reconnecting');
  events.addEventListener('device', (m) => onDevice(JSON.parse(m.data)));
  events.addEventListener('history', (m) => onHistory(JSON.parse(m.data)));
})();
