/* app.js — behaviour of the cartouche web page: the upload of binding files (several, a zip or a
 * dropped folder, sent as one multipart upload) and the cards and warnings it yields (state kept in the URL as #<id> so a reload or a shared link shows the same cards),
 * the Leaflet map over cartouche's tiles with a static-map builder, and the card playground.
 * Plain browser JavaScript, no build step; every URL it uses is a public cartouche API URL, so
 * what the page shows is what a user can copy and link to. */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  /* ---------- small helpers ---------- */

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function debounce(fn, ms) {
    let t = 0;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  }

  /* Query values stay readable in the URL users copy: the API accepts literal , ; : and spaces
   * encoded, so only what must be escaped is. */
  function q(v) {
    return encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%3B/gi, ';').replace(/%3A/gi, ':');
  }

  function query(params) {
    return params.filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => `${k}=${q(String(v))}`).join('&');
  }

  /* The API's error body is {"error": {"status", "code", "message", "param"}}. */
  class ApiError extends Error {
    constructor(status, body) {
      const e = body && body.error;
      super(e && e.message ? e.message : `the server answered HTTP ${status}`);
      this.status = status;
      this.param = e && e.param;
    }
  }

  async function api(url, opts) {
    let r;
    try {
      r = await fetch(url, opts);
    } catch (e) {
      throw new ApiError(0, { error: { message: 'cannot reach the server (' + e.message + ')' } });
    }
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) throw new ApiError(r.status, body);
    return body;
  }

  /* An <img> whose URL failed: ask the same URL again to get the JSON error's words. */
  async function imageError(url) {
    try {
      const r = await fetch(url);
      if (r.ok) return 'the image loaded but the browser could not show it';
      const body = await r.json().catch(() => null);
      return new ApiError(r.status, body).message;
    } catch (e) {
      return 'cannot reach the server';
    }
  }

  function showError(box, title, message, hint) {
    box.replaceChildren();
    if (title) box.append(el('strong', { text: title }));
    const m = /^line (\d+): (.*)$/s.exec(message || '');
    if (m) {
      box.append(el('div', { class: 'err-line' }, el('span', { class: 'line-badge', text: 'line ' + m[1] }),
        el('span', { text: m[2] })));
    } else if (message) {
      box.append(el('div', { text: message }));
    }
    if (hint) box.append(el('div', { class: 'err-hint', text: hint }));
    box.hidden = false;
  }

  function absolute(path) { return new URL(path, location.href).href; }

  document.addEventListener('click', async (ev) => {
    const b = ev.target.closest('[data-copy]');
    if (!b) return;
    const input = $(b.dataset.copy);
    let ok = false;
    try {
      await navigator.clipboard.writeText(input.value);
      ok = true;
    } catch (e) {
      input.select();
      ok = document.execCommand && document.execCommand('copy');
    }
    const was = b.textContent;
    b.textContent = ok ? 'Copied' : 'Select + copy';
    b.classList.toggle('done', ok);
    setTimeout(() => { b.textContent = was; b.classList.remove('done'); }, 1400);
  });

  /* ---------- 1. reference cards ---------- */

  const KIND_ORDER = { stick: 0, throttle: 1, pedals: 2, gamepad: 3, keyboard: 4 };
  let games = [];
  let deviceKinds = {};
  let lastFiles = null;   // [{file, path}] of the last upload, sent again when the game changes
  let shownId = null;

  async function initRefcards() {
    const select = $('game-select');
    try {
      games = (await api('/v1/games')).games || [];
      for (const g of games) select.append(el('option', { value: g.id, text: g.name }));
    } catch (e) {
      $('game-notes').textContent = 'Game list unavailable: ' + e.message;
    }
    api('/v1/devices').then((d) => {
      for (const dev of d.devices || []) deviceKinds[dev.id] = dev.kind;
    }).catch(() => {});
    select.addEventListener('change', () => {
      const g = games.find((x) => x.id === select.value);
      $('game-notes').textContent = g ? g.notes || '' : '';
      if (lastFiles) upload(lastFiles);
    });

    const input = $('file-input');
    input.addEventListener('change', () => {
      if (input.files.length) upload([...input.files].map((f) => ({ file: f, path: f.name })));
      input.value = '';
    });
    // A folder picked with the folder button: every file under it, named by its path in the folder.
    const folder = $('folder-input');
    folder.addEventListener('change', () => {
      if (folder.files.length) upload([...folder.files].map((f) => ({ file: f, path: f.webkitRelativePath || f.name })));
      folder.value = '';
    });
    const zone = $('drop-zone');
    ['dragenter', 'dragover'].forEach((t) => zone.addEventListener(t, (ev) => {
      ev.preventDefault();
      zone.classList.add('over');
    }));
    ['dragleave', 'dragend'].forEach((t) => zone.addEventListener(t, () => zone.classList.remove('over')));
    zone.addEventListener('drop', async (ev) => {
      ev.preventDefault();
      zone.classList.remove('over');
      const files = await droppedFiles(ev.dataTransfer);
      if (files.length) upload(files);
    });
    // Dropping a file anywhere else would navigate away from the page.
    window.addEventListener('dragover', (ev) => ev.preventDefault());
    window.addEventListener('drop', (ev) => ev.preventDefault());

    window.addEventListener('hashchange', loadFromHash);
    loadFromHash();
  }

  /* Everything dropped: files as they are, folders walked (their files named by their path from
   * the dropped folder, "Input/F-16C_50/joystick/…", which is what the DCS reader needs). The
   * entries must be taken synchronously, before the drop event returns. */
  async function droppedFiles(dt) {
    if (!dt) return [];
    const items = [...(dt.items || [])].filter((i) => i.kind === 'file');
    const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
    const plain = items.map((i) => i.getAsFile());
    const out = [];
    for (let k = 0; k < items.length; k++) {
      if (entries[k]) await walkEntry(entries[k], out);
      else if (plain[k]) out.push({ file: plain[k], path: plain[k].name });
    }
    if (!items.length) for (const f of dt.files || []) out.push({ file: f, path: f.name });
    return out;
  }

  async function walkEntry(entry, out) {
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      out.push({ file, path: entry.fullPath.replace(/^\/+/, '') || file.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) { // readEntries gives a folder's entries in batches until an empty one
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (!batch.length) break;
        for (const e of batch) await walkEntry(e, out);
      }
    }
  }

  function refcardIdFromHash() {
    const m = /^#([0-9a-f]{8,64})$/i.exec(location.hash);
    return m ? m[1].toLowerCase() : null;
  }

  async function loadFromHash() {
    const id = refcardIdFromHash();
    if (!id || id === shownId) return;
    setStatus('Loading the cards of ' + id + '…', true);
    $('upload-error').hidden = true;
    try {
      showSummary(await api('/v1/refcards/' + id));
      setStatus('');
      $('refcards').scrollIntoView({ block: 'start' });
    } catch (e) {
      setStatus('');
      showError($('upload-error'), e.status === 404 ? `No cards with the id ${id} here` : 'Could not load the cards',
        e.status === 404 ? 'The link may come from another server, or the upload store was reset. Upload the files again.' : e.message);
    }
  }

  function setStatus(text, busy) {
    const s = $('upload-status');
    s.textContent = text;
    s.classList.toggle('busy', !!busy);
  }

  function plural(n, one, many) { return `${n} ${n === 1 ? one : (many || one + 's')}`; }

  /* One multipart upload of every file, each part named by its path. */
  async function upload(files) {
    lastFiles = files;
    const game = $('game-select').value;
    const form = new FormData();
    for (const f of files) form.append('file', f.file, f.path);
    const bytes = files.reduce((n, f) => n + f.file.size, 0);
    const what = files.length === 1 ? files[0].path : plural(files.length, 'file');
    $('upload-error').hidden = true;
    $('drop-hint').textContent = what + ' · ' + formatBytes(bytes);
    setStatus(`Reading ${what}…`, true);
    try {
      const summary = await api('/v1/refcards' + (game ? '?game=' + q(game) : ''), { method: 'POST', body: form });
      setStatus('');
      showSummary(summary);
      history.replaceState(null, '', '#' + summary.id);
    } catch (e) {
      setStatus('');
      $('refcard-result').hidden = true;
      shownId = null;
      const title = e.status === 422 ? `Could not read ${what}`
        : e.status === 413 ? `${what}: too large` : `Upload of ${what} failed`;
      const g = games.find((x) => x.id === game);
      showError($('upload-error'), title, e.message, g && e.status === 422
        ? `It was read as ${g.name} because the game is set by hand; choose “Detect from the files” to let cartouche recognise it.` : null);
    }
  }

  function formatBytes(n) {
    return n < 1024 ? n + ' bytes' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
  }

  function showSummary(s) {
    shownId = s.id;
    const files = s.files || (s.filename ? [s.filename] : []);
    const warnings = s.warnings || [];
    const dropped = s.warnings_dropped || 0;
    $('sum-game').textContent = s.game_name || s.game;
    $('sum-profile').textContent = s.profile || '—';
    $('sum-file').textContent = files.length === 1 ? files[0] : files.length ? String(files.length) : '—';
    $('sum-file').title = files.join('\n');
    $('sum-bindings').textContent = String(s.bindings);
    $('sum-devices').textContent = String((s.devices || []).length);
    $('sum-warnings').textContent = String(warnings.length + dropped);
    $('share-link').value = absolute('/#' + s.id);
    $('summary-json').href = '/v1/refcards/' + s.id;

    // Cards by aircraft/ship when the upload holds several (a DCS folder), devices in kind order.
    const devices = (s.devices || []).slice().sort((a, b) =>
      (a.module || '').localeCompare(b.module || '') ||
      (KIND_ORDER[deviceKinds[a.registry]] ?? 9) - (KIND_ORDER[deviceKinds[b.registry]] ?? 9) ||
      (a.device_index || 0) - (b.device_index || 0));
    const grid = $('card-grid');
    const modules = new Set(devices.map((d) => d.module || ''));
    const children = [];
    let module = null;
    for (const d of devices) {
      if (modules.size > 1 && d.module !== module) {
        module = d.module;
        children.push(el('h3', { class: 'module-head', text: module || 'Every aircraft' }));
      }
      children.push(deviceCard(s, d));
    }
    grid.replaceChildren(...children);
    if (!devices.length) {
      grid.append(el('p', { class: 'muted', text: 'These files bind no controller or keyboard control, so there is no card to draw.' }));
    }

    $('warnings').hidden = warnings.length === 0 && !dropped;
    $('warnings-title').textContent = plural(warnings.length + dropped, 'warning');
    $('warnings-list').replaceChildren(...warnings.map((w) => el('li', {},
      el('div', { class: 'warn-where' },
        el('span', { class: 'warn-file', text: w.file || (files.length === 1 ? files[0] : 'the upload') }),
        w.line ? el('span', { class: 'line-badge', text: 'line ' + w.line }) : null),
      w.what ? el('code', { class: 'warn-what', text: w.what }) : null,
      el('div', { class: 'warn-why', text: w.why }))));
    $('warnings-dropped').hidden = !dropped;
    $('warnings-dropped').textContent = `and ${plural(dropped, 'more warning')} not listed`;
    $('files-title').textContent = `${plural(files.length, 'file')} read`;
    $('files-list').replaceChildren(...files.map((f) => el('li', { text: f || '(unnamed)' })));
    $('result-layout').classList.toggle('no-notes', warnings.length === 0 && !dropped && files.length <= 1);

    const ns = s.not_shown || [];
    $('not-shown').hidden = ns.length === 0;
    $('not-shown-title').textContent = ns.length === 1 ? '1 binding is not drawn on a card'
      : `${ns.length} bindings are not drawn on a card`;
    $('not-shown-body').replaceChildren(...ns.map((n) => el('tr', {},
      el('td', { text: n.action || '' }), el('td', { text: n.device || '' }),
      el('td', { text: n.control || '' }), el('td', { text: n.reason || '' }))));
    $('refcard-result').hidden = false;
  }

  function deviceCard(s, d) {
    const base = (s.profile || s.game || 'cards').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'cards';
    const title = d.title || d.name;
    const img = el('img', { src: d.cards.jpg, alt: `${title} — reference card`, class: 'card-img', decoding: 'async' });
    const frame = el('a', { class: 'card-frame loading', href: d.cards.png, target: '_blank', rel: 'noopener', title: 'Open the full-size PNG' }, img);
    img.addEventListener('load', () => frame.classList.remove('loading'));
    img.addEventListener('error', async () => {
      frame.classList.remove('loading');
      frame.classList.add('failed');
      frame.append(el('span', { class: 'card-fail', text: 'This card could not be drawn: ' + await imageError(d.cards.jpg) }));
    });
    const link = (fmt, label, extra, page) => el('a', {
      class: 'pill', href: d.cards[fmt] + (extra || ''),
      download: `${base}-${d.device}${page ? '-page' + page : ''}${extra && !page ? '@2x' : ''}.${fmt}`, text: label,
    });
    const pages = d.pages || 1;
    const meta = [plural(d.bindings, 'binding')];
    if (d.module) meta.push(d.module);
    if (d.side) meta.push(d.side + ' hand');
    if (pages > 1) meta.push(plural(pages, 'page'));
    if (!d.registry || d.registry === 'generic') meta.push('generic card: this device has no drawing yet');
    if (d.game_device && d.registry !== 'keyboard' && d.game_device !== d.name && d.game_device !== title) meta.push('as “' + d.game_device + '” in the files');
    const more = [];
    for (let p = 2; p <= pages; p++) more.push(link('jpg', `Page ${p}`, `?page=${p}`, p));
    return el('figure', { class: 'device-card', 'data-device': d.device }, frame,
      el('figcaption', {},
        el('div', { class: 'card-title' }, el('h3', { text: title }), el('span', { class: 'muted small', text: meta.join(' · ') })),
        el('div', { class: 'pills' }, link('jpg', 'JPEG'), link('png', 'PNG'), link('png', 'PNG 2x', '?scale=2'), link('pdf', 'PDF'), ...more)));
  }

  /* ---------- 2. map and static-map builder ---------- */

  const STATIC_MIN = 16, STATIC_MAX = 2048, STATIC_MAX_ZOOM = 6;
  let map = null;
  let layers = {};       // name → {tile: L.TileLayer, tj: TileJSON}
  let currentLayer = 'bluemarble';
  let pins = null;       // L.LayerGroup of the builder's points
  let points = [
    { kind: 'marker', lat: 45.8326, lng: 6.8652, text: 'Mont Blanc' },
    { kind: 'label', lat: 35, lng: -40, text: 'North Atlantic' },
  ];

  function labelsParam() {
    const l = [];
    if ($('opt-places').checked) l.push('places');
    if ($('opt-graticule').checked) l.push('graticule');
    return l.join(',');
  }

  function tileUrl(name, tj) {
    const m = /\.(jpg|png)(\?|$)/.exec((tj.tiles && tj.tiles[0]) || '');
    const labels = labelsParam();
    // {r} is Leaflet's "@2x" on high-DPI screens: cartouche serves 512 px tiles for the same z/x/y.
    return `/v1/tiles/${encodeURIComponent(name)}/{z}/{x}/{y}{r}.${m ? m[1] : 'jpg'}` + (labels ? '?labels=' + labels : '');
  }

  async function layerNames() {
    const names = new Set(['bluemarble', 'citylights']);
    try {
      const sc = await api('/v1/scenes?limit=1000');
      for (const f of sc.features || []) {
        const n = f.properties && f.properties['cartouche:layer'];
        if (n) names.add(n);
      }
    } catch (e) { /* the two built-in layers are still worth trying */ }
    return [...names];
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  async function initMap() {
    if (!window.L) {
      showError($('st-error'), 'The map library is missing', 'Leaflet is installed by `make assets`; run it and restart the server.');
      return;
    }
    map = L.map('leaflet-map', { minZoom: 0, maxZoom: STATIC_MAX_ZOOM, worldCopyJump: true, zoomSnap: 1 })
      .setView([30, 10], 2);
    L.control.scale({ imperial: false }).addTo(map);
    pins = L.layerGroup().addTo(map);

    const names = await layerNames();
    const found = await Promise.all(names.map((n) => api(`/v1/tiles/${encodeURIComponent(n)}.json`)
      .then((tj) => [n, tj]).catch(() => null)));
    const base = {};
    for (const item of found) {
      if (!item) continue;
      const [name, tj] = item;
      const opts = {
        minZoom: 0,
        maxZoom: STATIC_MAX_ZOOM,
        maxNativeZoom: tj.maxzoom ?? STATIC_MAX_ZOOM,
        minNativeZoom: tj.minzoom ?? 0,
        attribution: escapeHtml(tj.attribution || ''),
      };
      if (tj.bounds && (tj.bounds[2] - tj.bounds[0] < 360)) {
        opts.bounds = L.latLngBounds([tj.bounds[1], tj.bounds[0]], [tj.bounds[3], tj.bounds[2]]);
      }
      const tile = L.tileLayer(tileUrl(name, tj), opts);
      tile.cartoucheName = name;
      layers[name] = { tile, tj };
      base[tj.description || tj.name || name] = tile;
    }
    const first = layers.bluemarble ? 'bluemarble' : Object.keys(layers)[0];
    if (!first) {
      showError($('st-error'), 'No tile layers', 'The server has no baked tile layer; run `make assets`.');
      return;
    }
    currentLayer = first;
    layers[first].tile.addTo(map);
    L.control.layers(base, null, { collapsed: window.innerWidth < 720, position: 'topright' }).addTo(map);

    map.on('baselayerchange', (e) => { currentLayer = e.layer.cartoucheName; updateStatic(); });
    map.on('moveend zoomend', () => { readout(); updateStaticSoon(); });
    map.on('click', (e) => {
      const ll = e.latlng.wrap();
      points.push({ kind: 'marker', lat: round(ll.lat, 4), lng: round(ll.lng, 4), text: 'Point ' + (points.length + 1) });
      renderPoints();
      updateStatic();
      const inputs = $('st-points').querySelectorAll('.pt-text');
      const last = inputs[inputs.length - 1];
      if (last) { last.focus(); last.select(); }
    });
    ['opt-places', 'opt-graticule'].forEach((id) => $(id).addEventListener('change', () => {
      for (const [name, l] of Object.entries(layers)) l.tile.setUrl(tileUrl(name, l.tj));
      updateStatic();
    }));
    for (const id of ['st-width', 'st-height', 'st-format', 'st-scale', 'st-path']) {
      $(id).addEventListener('input', updateStaticSoon);
      $(id).addEventListener('change', updateStatic);
    }
    $('st-add').addEventListener('click', () => {
      const c = map.getCenter().wrap();
      points.push({ kind: 'label', lat: round(c.lat, 4), lng: round(c.lng, 4), text: 'Here' });
      renderPoints();
      updateStatic();
    });
    const img = $('st-preview');
    img.addEventListener('load', () => {
      $('st-preview').closest('figure').classList.remove('loading');
      $('st-caption').textContent = `${img.naturalWidth} × ${img.naturalHeight} px — click to open the image on its own`;
    });
    img.addEventListener('error', async () => {
      $('st-preview').closest('figure').classList.remove('loading');
      if (!img.getAttribute('src')) return;
      showError($('st-error'), 'The static map was refused', await imageError(img.src));
    });
    readout();
    renderPoints();
    updateStatic();
  }

  function round(v, d) { const f = 10 ** d; return Math.round(v * f) / f; }

  function readout() {
    const c = map.getCenter().wrap();
    $('map-readout').textContent = `${c.lat.toFixed(2)}°, ${c.lng.toFixed(2)}° · zoom ${map.getZoom()}`;
  }

  function renderPoints() {
    const box = $('st-points');
    box.replaceChildren();
    pins.clearLayers();
    points.forEach((p, i) => {
      const change = (field, parse) => (ev) => {
        const v = parse ? parse(ev.target.value) : ev.target.value;
        p[field] = v;
        drawPins();
        updateStaticSoon();
      };
      const num = (s) => { const v = parseFloat(s); return Number.isFinite(v) ? v : NaN; };
      box.append(el('div', { class: 'pt-row' },
        el('select', { class: 'pt-kind', 'aria-label': 'Kind', onchange: change('kind') },
          el('option', { value: 'marker', text: 'Marker', selected: p.kind === 'marker' }),
          el('option', { value: 'label', text: 'Label', selected: p.kind === 'label' })),
        el('input', { class: 'pt-num', type: 'number', step: 'any', min: -90, max: 90, value: p.lat, 'aria-label': 'Latitude', oninput: change('lat', num) }),
        el('input', { class: 'pt-num', type: 'number', step: 'any', min: -180, max: 180, value: p.lng, 'aria-label': 'Longitude', oninput: change('lng', num) }),
        el('input', { class: 'pt-text', type: 'text', maxlength: 200, value: p.text, placeholder: p.kind === 'label' ? 'text (required)' : 'text (optional)', 'aria-label': 'Text', oninput: change('text') }),
        el('button', { type: 'button', class: 'pt-del', title: 'Remove', 'aria-label': 'Remove', text: '×',
          onclick: () => { points.splice(i, 1); renderPoints(); updateStatic(); } })));
    });
    if (!points.length) box.append(el('p', { class: 'muted small', text: 'Click the map to drop a marker.' }));
    drawPins();
  }

  function drawPins() {
    pins.clearLayers();
    points.forEach((p) => {
      if (!Number.isFinite(p.lat) || !Number.isFinite(p.lng)) return;
      const m = L.marker([p.lat, p.lng], {
        draggable: true,
        icon: L.divIcon({ className: 'pin pin-' + p.kind, iconSize: [14, 14], html: '' }),
        title: p.text,
      });
      if (p.text) m.bindTooltip(p.text, { permanent: true, direction: 'right', offset: [8, 0], className: 'pin-tip' });
      m.on('dragend', () => {
        const ll = m.getLatLng().wrap();
        p.lat = round(ll.lat, 4);
        p.lng = round(ll.lng, 4);
        renderPoints();
        updateStatic();
      });
      pins.addLayer(m);
    });
  }

  function staticPath() {
    const c = map.getCenter().wrap();
    const lat = Math.max(-85, Math.min(85, c.lat));
    const zoom = Math.max(0, Math.min(STATIC_MAX_ZOOM, Math.round(map.getZoom())));
    $('st-center').value = `${lat.toFixed(4)}, ${c.lng.toFixed(4)}`;
    $('st-zoom').value = String(zoom);
    const w = parseInt($('st-width').value, 10), h = parseInt($('st-height').value, 10);
    if (!(w >= STATIC_MIN && w <= STATIC_MAX && h >= STATIC_MIN && h <= STATIC_MAX)) {
      throw new Error(`width and height must each be ${STATIC_MIN}..${STATIC_MAX} pixels`);
    }
    const params = [['center', `${lat.toFixed(4)},${c.lng.toFixed(4)}`], ['zoom', zoom], ['size', `${w}x${h}`]];
    if (currentLayer !== 'bluemarble') params.push(['layer', currentLayer]);
    if ($('st-scale').value === '2') params.push(['scale', 2]);
    if ($('st-format').value !== 'jpg') params.push(['format', $('st-format').value]);
    params.push(['labels', labelsParam()]);
    const valid = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lng) &&
      Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180);
    for (const p of valid) {
      if (p.kind === 'marker') params.push(['marker', `${p.lat},${p.lng}` + (p.text ? ',' + p.text : '')]);
      else if (p.text) params.push(['label', `${p.lat},${p.lng},${p.text}`]);
    }
    if ($('st-path').checked && valid.length >= 2) params.push(['path', valid.map((p) => `${p.lat},${p.lng}`).join(';')]);
    return '/v1/static?' + query(params);
  }

  function updateStatic() {
    if (!map) return;
    $('st-error').hidden = true;
    let path;
    try {
      path = staticPath();
    } catch (e) {
      showError($('st-error'), 'Cannot make this static map', e.message);
      return;
    }
    $('st-url').value = absolute(path);
    $('st-open').href = path;
    const img = $('st-preview');
    if (img.getAttribute('src') !== path) {
      img.closest('figure').classList.add('loading');
      img.src = path;
    }
  }
  const updateStaticSoon = debounce(updateStatic, 350);

  /* ---------- 3. card playground ---------- */

  /* Example text so that a template shows something worth looking at straight away. */
  const EXAMPLES = {
    og: { title: 'Hello from cartouche', subtitle: 'Shaped with HarfBuzz, fitted to its box and encoded in milliseconds.', site: 'cartouche.example' },
    refcard: {
      title: 'Editor keys', subtitle: 'The ones worth remembering',
      k0: 'Ctrl+S', a0: 'Save', k1: 'Ctrl+Z', a1: 'Undo', k2: 'Ctrl+Shift+Z', a2: 'Redo',
      k3: 'Ctrl+F', a3: 'Find in file', k4: 'F2', a4: 'Rename symbol', k5: 'Ctrl+P', a5: 'Go to file',
    },
  };
  let templates = [];
  const values = {};      // template name → {slot id → text}, kept when switching templates
  let currentTpl = null;

  async function initPlayground() {
    const select = $('tpl-select');
    try {
      templates = (await api('/v1/templates')).templates || [];
    } catch (e) {
      showError($('play-error'), 'Templates unavailable', e.message);
      return;
    }
    for (const t of templates) select.append(el('option', { value: t.name, text: `${t.name} — ${t.width}×${t.height}` }));
    const start = templates.find((t) => t.name === 'og') || templates[0];
    if (!start) return;
    select.value = start.name;
    select.addEventListener('change', () => showTemplate(templates.find((t) => t.name === select.value)));
    const img = $('play-preview');
    img.addEventListener('load', () => $('play-frame').classList.remove('loading'));
    img.addEventListener('error', async () => {
      $('play-frame').classList.remove('loading');
      if (img.getAttribute('src')) showError($('play-error'), 'The card was refused', await imageError(img.src));
    });
    showTemplate(start);
  }

  function showTemplate(t) {
    currentTpl = t;
    if (!values[t.name]) {
      const ex = EXAMPLES[t.name] || {};
      values[t.name] = {};
      for (const s of t.slots) values[t.name][s.id] = ex[s.id] ?? (s.required ? s.id[0].toUpperCase() + s.id.slice(1) : '');
    }
    $('tpl-desc').textContent = (t.description || '') + ` Formats: ${(t.formats || []).join(', ')}.`;
    $('play-frame').style.aspectRatio = `${t.width} / ${t.height}`;
    const box = $('tpl-slots');
    box.replaceChildren(...t.slots.map((s) => {
      const long = s.wrap && s.max_length > 80 && t.slots.length <= 8; // many slots: one line each
      const input = el(long ? 'textarea' : 'input', {
        class: 'slot-input', id: 'slot-' + s.id, 'data-slot': s.id, maxlength: s.max_length,
        placeholder: s.default ? 'default: ' + s.default : (s.required ? 'required' : ''), rows: long ? 2 : undefined,
        type: long ? undefined : 'text',
        oninput: (ev) => { values[t.name][s.id] = ev.target.value; updateCardSoon(); },
      });
      input.value = values[t.name][s.id] || '';
      return el('label', { class: 'field slot' + (s.required ? ' required' : '') },
        el('span', { text: s.id + (s.required ? ' *' : '') }), input);
    }));
    box.classList.toggle('many', t.slots.length > 8);
    updateCard();
  }

  function cardQuery(t) {
    return query(t.slots.map((s) => [s.param || 'text.' + s.id, values[t.name][s.id]]));
  }

  function updateCard() {
    const t = currentTpl;
    if (!t) return;
    $('play-error').hidden = true;
    const qs = cardQuery(t);
    const path = `/v1/cards/${encodeURIComponent(t.name)}.png` + (qs ? '?' + qs : '');
    $('play-url').value = absolute(path);
    const fmts = (t.formats || ['png']).map((f) => el('a', {
      class: 'pill', href: `/v1/cards/${encodeURIComponent(t.name)}.${f}` + (qs ? '?' + qs : ''),
      target: '_blank', rel: 'noopener', text: f.toUpperCase() === 'JPG' ? 'JPEG' : f.toUpperCase(),
    }));
    fmts.push(el('a', { class: 'pill', href: path + (qs ? '&' : '?') + 'scale=2', target: '_blank', rel: 'noopener', text: 'PNG 2x' }));
    $('play-formats').replaceChildren(el('span', { class: 'muted', text: 'Open as ' }), ...fmts);
    const img = $('play-preview');
    if (img.getAttribute('src') !== path) {
      $('play-frame').classList.add('loading');
      img.src = path;
    }
  }
  const updateCardSoon = debounce(updateCard, 300);

  /* ---------- start ---------- */

  initRefcards();
  initMap();
  initPlayground();
})();
