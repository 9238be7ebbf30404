// The event pages' live updates (the pages are rendered on the server and work without this script).
// Each page listens to a stream of Server-Sent Events (data-live-url): the server says "changed" within about a second of a
// change that concerns the page, and the page then checks what it shows, as the 10 s poll did before: the queue and
// supervision pages fetch their queue's JSON and swap in the fresh list when its signature (each event's id, revision and
// overdue mark, in order) changes; the event page asks for its stamp and reloads when it differs, unless the user has
// started filling in a form: then it only says the event changed. A message that changes nothing on the page (the server
// may tell one change twice) costs one small request and no reload. When the stream cannot be opened (refused, or failing
// three times in a row), the page falls back to checking every 10 s, and tries the stream again after a minute, then after
// twice as long each time it fails, up to 15 minutes: a restarted server or a proxy's hiccup should not leave a dispatcher
// polling for the rest of the shift. Both pause while the page is hidden.
const interval = 10_000;
const failuresBeforePolling = 3;
const firstRetry = 60_000;
const longestRetry = 15 * 60_000;

function listen(url, check) {
  const run = () => check().catch(() => {});
  let source = null;
  let timer = null;
  let retry = null;
  let retryAfter = firstRetry;
  let failures = 0;
  let polling = false;
  const start = () => {
    if (polling) {
      run();
      if (!timer) timer = setInterval(run, interval);
      if (!retry) retry = setTimeout(tryStream, retryAfter);
      return;
    }
    if (source) return;
    source = new EventSource(url);
    // On every (re)connection: what changed while the page was being drawn, hidden or cut off is checked at once.
    source.addEventListener('open', () => { failures = 0; retryAfter = firstRetry; run(); });
    source.addEventListener('changed', run);
    source.addEventListener('error', () => {
      // The browser reconnects by itself after a dropped stream; one it will not retry (refused) or that keeps failing
      // (a proxy that does not pass it) leaves the page to polling until the next try.
      if (source.readyState !== EventSource.CLOSED && ++failures < failuresBeforePolling) return;
      source.close();
      source = null;
      failures = 0;
      polling = true;
      start();
    });
  };
  const tryStream = () => {
    retry = null;
    retryAfter = Math.min(retryAfter * 2, longestRetry);
    clearInterval(timer);
    timer = null;
    polling = false;
    start();
  };
  const stop = () => {
    source?.close();
    source = null;
    clearInterval(timer);
    timer = null;
    clearTimeout(retry);
    retry = null;
  };
  document.addEventListener('visibilitychange', () => (document.hidden ? stop() : start()));
  if (!document.hidden) start();
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.json();
}

function watchQueue(live) {
  listen(live.dataset.liveUrl, async () => {
    const items = await getJson(live.dataset.poll);
    const signature = items.map(i => `${i.eventId}:${i.revision}:${i.overdue ? 1 : 0}`).join(',');
    if (signature === live.dataset.signature) return;
    const response = await fetch(location.href, { headers: { Accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('ev-live');
    if (!fresh) return;
    const current = document.getElementById('ev-live');
    current.replaceWith(fresh);
    live = fresh;
  });
}

function dirty() {
  return [...document.querySelectorAll('.ev-form textarea, .ev-form input:not([type=hidden]), .ev-form select')].some(field =>
    field.type === 'checkbox' ? field.checked !== field.defaultChecked
      : field.tagName === 'SELECT' ? [...field.options].some(o => o.selected !== o.defaultSelected)
        : field.value !== field.defaultValue)
    || document.activeElement?.closest('.ev-form') != null;
}

function watchEvent(head) {
  listen(head.dataset.liveUrl, async () => {
    const { stamp } = await getJson(head.dataset.stampUrl);
    if (stamp === head.dataset.stamp) return;
    if (dirty()) {
      document.getElementById('ev-changed').hidden = false;
      return;
    }
    // A plain reload of the event page, without the note of the last action, which is now old news.
    location.replace(location.pathname);
  });
}

// After a form's redirect, the outcome is where the eye and the screen reader go first.
document.getElementById('ev-outcome')?.focus();

const live = document.getElementById('ev-live');
if (live?.dataset.liveUrl) watchQueue(live);
const head = document.getElementById('ev-event');
if (head?.dataset.liveUrl) watchEvent(head);
