// The page's tab bar (ui/page_tabs.py): one role="tab" button per tab, over the container the page draws
// the open tab into (only the open tab is drawn). A click or Enter picks a tab: the button is marked at
// once and the page reruns with that tab. The arrow keys, Home and End move between the tabs (WAI-ARIA's
// tabs pattern with manual activation: opening a tab reruns the page, so moving the focus does not).

function labelPanel(data) {
  const panel = document.querySelector(`.st-key-${data.panel}`);
  if (!panel) return false;
  panel.setAttribute("role", "tabpanel");
  panel.setAttribute("aria-labelledby", `pp-tab-${data.open}`);
  return true;
}

function mark(bar, slug) {
  for (const b of bar.children) {
    const open = b.dataset.slug === slug;
    b.setAttribute("aria-selected", open ? "true" : "false");
    b.tabIndex = open ? 0 : -1;
  }
}

function onKey(event) {
  const tabs = [...event.currentTarget.children];
  const i = tabs.indexOf(document.activeElement);
  if (i < 0) return;
  const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  tabs[(to + tabs.length) % tabs.length].focus();
}

export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const data = component.data; // {tabs: [[slug, title], ...], open: slug, panel: the content container's key}
  let bar = parentElement.querySelector(".pp-tabs");
  if (!bar) {
    bar = document.createElement("div");
    bar.className = "pp-tabs";
    bar.setAttribute("role", "tablist");
    bar.setAttribute("aria-label", "Views of the scene");
    bar.addEventListener("keydown", onKey);
    parentElement.append(bar);
  }
  bar.__pick = (slug) => setTriggerValue("pick", slug);
  const titles = JSON.stringify(data.tabs);
  if (bar.dataset.titles !== titles) {
    bar.dataset.titles = titles;
    bar.replaceChildren(
      ...data.tabs.map(([slug, title]) => {
        const b = document.createElement("button");
        b.type = "button";
        b.id = `pp-tab-${slug}`;
        b.dataset.slug = slug;
        b.setAttribute("role", "tab");
        b.textContent = title;
        b.addEventListener("click", () => {
          if (b.getAttribute("aria-selected") === "true") return;
          mark(bar, slug);
          bar.__pick(slug);
        });
        return b;
      }),
    );
  }
  mark(bar, data.open); // also undoes a click's mark that the page did not follow
  if (!labelPanel(data)) requestAnimationFrame(() => labelPanel(data));
  // Run before the bar is drawn again with other data, or when it goes (presentation mode has no bar): the
  // tab's container is then no tab panel of it.
  return () => {
    const panel = document.querySelector(`.st-key-${data.panel}`);
    if (panel && panel.getAttribute("aria-labelledby") === `pp-tab-${data.open}`) {
      panel.removeAttribute("role");
      panel.removeAttribute("aria-labelledby");
    }
  };
}
