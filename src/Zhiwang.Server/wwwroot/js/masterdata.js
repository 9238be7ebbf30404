// The master-data pages' charts and the reveal form. The pages work without it; it adds the map, the
// waterfall, the trend lines, and shows a revealed value in place instead of as a JSON page.
const text = JSON.parse(document.getElementById('md-text')?.textContent || '{}');
const brand = '#0f5c7a';
const accent = '#d9822b';

function chartOn(element) {
  const chart = globalThis.echarts.init(element, null, { renderer: 'canvas' });
  // A hidden or collapsed chart has no area to fit its map into; ECharts throws if asked to, so wait until it has one.
  new ResizeObserver(([entry]) => {
    if (entry.contentRect.width > 0 && entry.contentRect.height > 0) chart.resize();
  }).observe(element);
  return chart;
}

async function drawMap(element) {
  const grid = element.dataset.grid;
  const lon = parseFloat(element.dataset.lon);
  const lat = parseFloat(element.dataset.lat);
  const chart = chartOn(element);
  const series = [];
  const option = { animation: false, series };
  if (grid) {
    const response = await fetch(`/api/map/${encodeURIComponent(grid)}`, { headers: { Accept: 'application/json' } });
    const data = response.ok ? await response.json() : null;
    if (data?.features?.length) {
      const features = data.features.map(f => ({
        type: 'Feature', id: f.id, properties: { name: f.properties.code }, geometry: { type: 'MultiPolygon', coordinates: f.geometry.coordinates },
      }));
      globalThis.echarts.registerMap('md-grid', { type: 'FeatureCollection', features });
      option.geo = { map: 'md-grid', roam: true, itemStyle: { areaColor: '#e3f1f5', borderColor: brand, borderWidth: 1.5 }, emphasis: { disabled: true }, silent: true };
    }
  }
  if (!Number.isNaN(lon) && !Number.isNaN(lat)) {
    if (!option.geo) {
      // No grid to draw: frame the point with an invisible square about 1 km across, since an empty map has
      // no bounding box for ECharts to fit.
      const d = 0.005;
      const square = [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];
      globalThis.echarts.registerMap('md-point', {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { name: 'point' }, geometry: { type: 'Polygon', coordinates: square } }],
      });
      option.geo = { map: 'md-point', roam: true, itemStyle: { areaColor: 'transparent', borderColor: 'transparent' }, emphasis: { disabled: true }, silent: true };
    }
    series.push({ type: 'effectScatter', coordinateSystem: 'geo', data: [[lon, lat]], symbolSize: 12, itemStyle: { color: accent } });
  }
  chart.setOption(option);
  element.dataset.ready = 'true';
}

function drawWaterfall(element) {
  const pairs = JSON.parse(element.dataset.waterfall || '[]');
  // One bar per step: an invisible base carries each bar up to the running total before it.
  const labels = [];
  const base = [];
  const bars = [];
  for (const pair of pairs) {
    let total = 0;
    for (const step of pair.steps) {
      labels.push(`${pair.label}\n${step.label}`);
      base.push(step.weight >= 0 ? total : total + step.weight);
      bars.push({ value: Math.abs(step.weight), itemStyle: { color: step.weight >= 0 ? brand : '#c0392b' } });
      total += step.weight;
    }
    labels.push(`${pair.label}\nΣ`);
    base.push(0);
    bars.push({ value: pair.total, itemStyle: { color: accent } });
  }
  chartOn(element).setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 16, bottom: 64 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', name: text.Weight },
    series: [
      { type: 'bar', stack: 'w', data: base, itemStyle: { color: 'transparent' }, tooltip: { show: false } },
      { type: 'bar', stack: 'w', data: bars, name: text.Weight, label: { show: true, position: 'top', formatter: p => p.value.toFixed(1) } },
    ],
  });
  element.dataset.ready = 'true';
}

function drawTrend(element) {
  const points = JSON.parse(element.dataset.trend || '[]');
  chartOn(element).setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 24, bottom: 28 },
    tooltip: { trigger: 'axis', valueFormatter: v => `${(v * 100).toFixed(2)}%` },
    legend: { top: 0, data: [text.Rejected, text.IssueRate, text.ConflictRate] },
    xAxis: { type: 'category', data: points.map(p => `${text.Batch} ${p.batchId}`) },
    yAxis: { type: 'value', axisLabel: { formatter: v => `${(v * 100).toFixed(1)}%` } },
    series: [
      { type: 'line', name: text.Rejected, data: points.map(p => p.rejectRate), itemStyle: { color: '#c0392b' } },
      { type: 'line', name: text.IssueRate, data: points.map(p => p.issueRate), itemStyle: { color: brand } },
      { type: 'line', name: text.ConflictRate, data: points.map(p => p.conflictRate), itemStyle: { color: '#e67e22' } },
    ],
  });
}

function wireReveal(form) {
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' } });
    const cell = form.closest('td');
    if (!response.ok) {
      form.insertAdjacentHTML('beforeend', `<p class="md-problem" role="alert"></p>`);
      form.lastElementChild.textContent = text.RevealFailed;
      return;
    }
    const revealed = await response.json();
    const value = cell.querySelector('.md-value');
    value.textContent = revealed.value ?? '';
    value.classList.remove('masked');
    value.classList.add('revealed');
    cell.querySelector('.md-masked-tag')?.remove();
    form.closest('details')?.remove();
  });
}

const map = document.getElementById('md-map');
if (map && globalThis.echarts) drawMap(map).catch(() => { map.dataset.ready = 'failed'; });
const waterfall = document.getElementById('md-waterfall');
if (waterfall && globalThis.echarts) drawWaterfall(waterfall);
if (globalThis.echarts) document.querySelectorAll('.md-trend').forEach(drawTrend);
document.querySelectorAll('form[data-reveal]').forEach(wireReveal);
