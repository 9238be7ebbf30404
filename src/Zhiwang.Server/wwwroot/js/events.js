// The event pages' live updates, by polling (the pages are rendered on the server and work without this script).
// The queue and supervision pages poll their queue's JSON and swap in the fresh list when its signature (each event's
// id, revision and overdue mark, in order) changes; the event page polls its stamp and reloads, unless the user has
// started filling in a form: then it only says the event changed. Polling pauses while the page is hidden.
const interval = 10_000;

function every(check) {
  let timer = null;
  const start = () => { if (!timer) timer = setInterval(() => check().catch(() => {}), interval); };
  const stop = () => { clearInterval(timer); timer = null; };
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      stop();
    } else {
      check().catch(() => {});
      start();
    }
  });
  if (!document.hidden) start();
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.json();
}

function watchQueue(live) {
  every(async () => {
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
  every(async () => {
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
if (live?.dataset.poll) watchQueue(live);
const head = document.getElementById('ev-event');
if (head?.dataset.stampUrl) watchEvent(head);
