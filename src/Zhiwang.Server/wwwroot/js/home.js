// Home page: the city's map with persons, legal entities and houses, drilled down
// city › district › street › community › grid. ECharts is loaded before this module as a global.
const echarts = globalThis.echarts;

const root = document.getElementById('home');
const text = JSON.parse(document.getElementById('ui-text').textContent);
const locale = root.dataset.locale;
const cityCode = root.dataset.city;
const number = new Intl.NumberFormat(locale);
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
const fontFamily = getComputedStyle(document.documentElement).fontFamily;

const levelNames = {
  city: text.LevelCity, district: text.LevelDistrict, street: text.LevelStreet,
  community: text.LevelCommunity, grid: text.LevelGrid,
};
// Light to deep blue-green: readable labels on the light end, strong contrast for dense areas.
const palette = ['#f1f8f6', '#cfe9e4', '#9dd2cf', '#5fb0bf', '#2f88a8', '#145f86', '#0b3d5c'];

const el = {
  map: document.getElementById('map'),
  status: document.getElementById('status'),
  name: document.getElementById('division-name'),
  breadcrumb: document.getElementById('breadcrumb'),
  persons: document.getElementById('total-persons'),
  legalEntities: document.getElementById('total-legal-entities'),
  houses: document.getElementById('total-houses'),
  childrenTitle: document.getElementById('children-title'),
  table: document.getElementById('children'),
  body: document.querySelector('#children tbody'),
  langLinks: document.querySelectorAll('.lang a'),
};

const chart = echarts.init(el.map, null, { renderer: 'canvas' });
const state = { data: null, features: new Map(), sortKey: 'persons', sortDir: -1, request: 0 };
const loaded = new Map();

// A handle for tests and for the curious in the console.
globalThis.zhiwangHome = { chart, state, show: (code) => go(code) };

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function codeFromHash() {
  const code = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  return /^[0-9A-Za-z]{6,}$/.test(code) ? code : cityCode;
}

function go(code) {
  if (code === codeFromHash()) return;
  location.hash = code;
}

async function fetchDivision(code) {
  if (loaded.has(code)) return loaded.get(code);
  const response = await fetch(`api/map/${encodeURIComponent(code)}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const data = await response.json();
  loaded.set(code, data);
  return data;
}

function setStatus(message) {
  el.status.hidden = !message;
  el.status.textContent = message ?? '';
}

async function show(code) {
  const request = ++state.request;
  chart.showLoading({ text: text.Loading, color: '#145f86', textColor: '#1d2733', maskColor: 'rgba(255,255,255,.6)', fontFamily });
  try {
    const data = await fetchDivision(code);
    if (request !== state.request) return;
    state.data = data;
    state.features = new Map(data.features.map((f) => [f.properties.code, f.properties]));
    setStatus(null);
    renderHeader(data);
    renderTable();
    renderMap(data);
    root.dataset.code = data.division.code;
  } catch (error) {
    if (request !== state.request) return;
    console.error(error);
    setStatus(text.LoadFailed);
  } finally {
    if (request === state.request) chart.hideLoading();
  }
}

function isLeafView(data) {
  return data.features.length === 1 && data.features[0].properties.code === data.division.code;
}

function renderHeader(data) {
  const { division, breadcrumb } = data;
  const level = levelNames[division.level] ?? '';
  // "福田区 区" says the level twice; "华强北街道" names it too; a community or grid code does not.
  el.name.innerHTML = escapeHtml(division.name) + (level && !division.name.endsWith(level) ? ` <span class="level">${escapeHtml(level)}</span>` : '');
  el.persons.textContent = number.format(division.persons);
  el.legalEntities.textContent = number.format(division.legalEntities);
  el.houses.textContent = number.format(division.houses);
  el.breadcrumb.innerHTML = breadcrumb.map((step, i) => i === breadcrumb.length - 1
    ? `<span aria-current="page">${escapeHtml(step.name)}</span>`
    : `<a href="#${encodeURIComponent(step.code)}">${escapeHtml(step.name)}</a><span class="sep" aria-hidden="true">›</span>`).join('');
  const leaf = isLeafView(data);
  el.childrenTitle.textContent = leaf ? text.Subdivisions : `${text.Subdivisions} · ${number.format(data.features.length)}`;
  for (const link of el.langLinks) {
    const url = new URL(link.href, location.href);
    url.hash = division.code === cityCode ? '' : division.code;
    link.href = url.pathname + url.search + url.hash;
  }
  document.title = `${division.name} · ${document.title.split(' · ').slice(-2).join(' · ')}`;
}

function sortedFeatures() {
  const rows = [...state.features.values()];
  const key = state.sortKey;
  const dir = state.sortDir;
  // Numeric, so 第2网格 comes before 第10网格.
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  return rows.sort((a, b) => key === 'name'
    ? dir * collator.compare(a.name, b.name)
    : dir * (a[key] - b[key]) || collator.compare(a.name, b.name));
}

function renderTable() {
  const data = state.data;
  for (const th of el.table.querySelectorAll('th[data-sort]')) {
    th.setAttribute('aria-sort', th.dataset.sort === state.sortKey ? (state.sortDir > 0 ? 'ascending' : 'descending') : 'none');
  }
  if (isLeafView(data)) {
    el.body.innerHTML = `<tr class="leaf"><td colspan="4">${escapeHtml(text.NoChildren)}</td></tr>`;
    return;
  }
  const total = Math.max(1, data.division.persons);
  const largest = Math.max(1, ...[...state.features.values()].map((p) => p.persons));
  el.body.innerHTML = sortedFeatures().map((p) => `
    <tr data-code="${escapeHtml(p.code)}" class="${p.hasChildren ? '' : 'leaf'}" title="${escapeHtml(text.Share)} ${percent.format(p.persons / total)}">
      <td><span class="name">${escapeHtml(p.name)}</span><span class="code">${escapeHtml(p.code)}</span></td>
      <td class="num">${number.format(p.persons)}<span class="bar" style="width:${(100 * p.persons / largest).toFixed(1)}%"></span></td>
      <td class="num">${number.format(p.legalEntities)}</td>
      <td class="num">${number.format(p.houses)}</td>
    </tr>`).join('');
}

// On the map, "莲田社区第1网格" inside 莲田社区 reads better as "第1网格".
function mapLabel(p) {
  const parent = state.data.division.name;
  return p.name.length > parent.length && p.name.startsWith(parent) ? p.name.slice(parent.length) : p.name;
}

function tooltip(params) {
  const p = state.features.get(params.name);
  if (!p) return '';
  const line = (label, value, color) =>
    `<div style="display:flex;justify-content:space-between;gap:1.5em"><span><span style="display:inline-block;width:8px;height:8px;border-radius:50%;background:${color};margin-right:6px"></span>${escapeHtml(label)}</span><b>${number.format(value)}</b></div>`;
  return `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(p.name)} <span style="color:#8a97a6;font-weight:400">${escapeHtml(levelNames[p.level] ?? '')}</span></div>`
    + line(text.Persons, p.persons, '#145f86')
    + line(text.LegalEntities, p.legalEntities, '#3f8f6b')
    + line(text.Houses, p.houses, '#d9822b');
}

// Longitude degrees are shorter than latitude degrees at Shenzhen's 22.5°N: cos(22.5°) ≈ 0.92.
const AspectScale = 0.92;

// ECharts keeps a map's proportions only with layoutCenter/layoutSize (left/right/top/bottom stretch it),
// and layoutSize is the map's longer side: work out the largest that fits the chart, beside the colour scale.
function fitLayout(data) {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const feature of data.features) {
    for (const polygon of feature.geometry.coordinates) {
      for (const [lon, lat] of polygon[0]) {
        minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
      }
    }
  }
  const aspect = Math.max(1e-6, maxLon - minLon) / Math.max(1e-6, maxLat - minLat) * AspectScale;
  const left = chart.getWidth() > 520 ? 64 : 12;
  const width = Math.max(50, chart.getWidth() - left - 12);
  const height = Math.max(50, chart.getHeight() - 24);
  const size = aspect > 1 ? Math.min(width, height * aspect) : Math.min(height, width / aspect);
  return { layoutCenter: [left + width / 2, 12 + height / 2], layoutSize: size };
}

function renderMap(data) {
  const mapName = `zhiwang-${data.division.code}`;
  if (!echarts.getMap(mapName)) {
    // ECharts places a region's label at properties.cp.
    echarts.registerMap(mapName, {
      type: 'FeatureCollection',
      features: data.features.map((f) => ({ ...f, properties: { ...f.properties, cp: f.properties.center } })),
    });
  }
  const features = [...state.features.values()];
  const max = Math.max(1, ...features.map((p) => p.persons));
  const showLabels = features.length <= 40;
  chart.setOption({
    textStyle: { fontFamily },
    tooltip: {
      trigger: 'item', formatter: tooltip, confine: true,
      backgroundColor: 'rgba(255,255,255,.97)', borderColor: '#d5dde6', textStyle: { color: '#1d2733', fontFamily },
      extraCssText: 'box-shadow:0 4px 16px rgba(16,24,40,.12);border-radius:8px;min-width:180px',
    },
    visualMap: {
      type: 'continuous', min: 0, max, left: 12, bottom: 12, itemWidth: 12, itemHeight: 110, calculable: false,
      text: [number.format(max), '0'], textGap: 6, inRange: { color: palette },
      textStyle: { color: '#5d6b7a', fontFamily, fontSize: 11 },
      formatter: (value) => number.format(Math.round(value)),
    },
    series: [{
      type: 'map', map: mapName, nameProperty: 'code', roam: true, selectedMode: false,
      aspectScale: AspectScale, ...fitLayout(data), scaleLimit: { min: 0.8, max: 12 },
      itemStyle: { borderColor: '#ffffff', borderWidth: 1.2, areaColor: '#eef2f6' },
      label: {
        show: showLabels, formatter: (p) => { const f = state.features.get(p.name); return f ? mapLabel(f) : ''; },
        color: '#1d2733', fontSize: features.length > 15 ? 11 : 13, fontFamily,
        textBorderColor: 'rgba(255,255,255,.9)', textBorderWidth: 3,
      },
      emphasis: {
        label: { show: true, fontWeight: 'bold' },
        itemStyle: { areaColor: '#f3b562', borderColor: '#ffffff', borderWidth: 1.6 },
      },
      data: features.map((p) => ({ name: p.code, value: p.persons })),
    }],
  }, { notMerge: true });
}

chart.on('click', (params) => {
  const p = state.features.get(params.name);
  if (p?.hasChildren) go(p.code);
});

el.body.addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-code]');
  const p = row && state.features.get(row.dataset.code);
  if (p?.hasChildren) go(p.code);
});
el.body.addEventListener('mouseover', (event) => {
  const row = event.target.closest('tr[data-code]');
  if (row) chart.dispatchAction({ type: 'highlight', seriesIndex: 0, name: row.dataset.code });
});
el.body.addEventListener('mouseout', (event) => {
  const row = event.target.closest('tr[data-code]');
  if (row) chart.dispatchAction({ type: 'downplay', seriesIndex: 0, name: row.dataset.code });
});
el.table.querySelector('thead').addEventListener('click', (event) => {
  const th = event.target.closest('th[data-sort]');
  if (!th) return;
  const key = th.dataset.sort;
  state.sortDir = state.sortKey === key ? -state.sortDir : (key === 'name' ? 1 : -1);
  state.sortKey = key;
  renderTable();
});

window.addEventListener('hashchange', () => show(codeFromHash()));
new ResizeObserver(([entry]) => {
  // A collapsed map has no area to fit into; ECharts throws if asked to, so wait until it has one.
  if (entry.contentRect.width === 0 || entry.contentRect.height === 0) return;
  chart.resize();
  if (state.data) chart.setOption({ series: [fitLayout(state.data)] });
}).observe(el.map);
show(codeFromHash());
