// Reports the height of the browser's window, where this (empty) element stands on the page and how wide
// it is (the page's column), so that the page can size a figure it draws below it to the screen (a
// Streamlit v2 component; ui/screen.py). It reports again, at most a few times a second, when any of them
// changes by more than SLACK pixels: the window is resized, the sidebar opens or closes, or what stands
// above grows or shrinks (a lesson's question, a message).
// pageTop() and watchPage() come from page.js, which screen.py puts before this file.

const SLACK = 24;

export default function (component) {
  const { parentElement, setStateValue } = component;
  const box = parentElement;
  let timer = null;
  const report = () => {
    timer = null;
    const now = {
      height: window.innerHeight,
      top: Math.round(pageTop(box)),
      width: Math.round(box.getBoundingClientRect().width),
    };
    const last = box.__sent;
    if (last && ["height", "top", "width"].every((k) => Math.abs(last[k] - now[k]) <= SLACK)) return;
    box.__sent = now;
    box.dataset.sentWidth = String(now.width); // for tests: what the page was last told
    setStateValue("screen", now);
  };
  const later = () => { if (timer === null) timer = setTimeout(report, 200); };
  report();
  const stop = watchPage(box, later);
  // What stands above may move this element without resizing the page (one element replaced by another of
  // the same height while the page renders): look again once a second; it reports only a change.
  const poll = setInterval(later, 1000);
  return () => {
    stop();
    clearInterval(poll);
    if (timer !== null) clearTimeout(timer);
  };
}
