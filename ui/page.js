// Shared by the page's components (each one's Python module puts this file before its own script).

// Where `elem` would be with the page scrolled to the top (Streamlit scrolls its main block, not the window).
function pageTop(elem) {
  let top = elem.getBoundingClientRect().top + window.scrollY;
  for (let a = elem.parentElement; a; a = a.parentElement) top += a.scrollTop;
  return top;
}

// Call `fn` when the window is resized or the page's main block (the one `elem` is in) changes size: what
// stands above `elem` may have grown or shrunk. Returns the function that stops it.
function watchPage(elem, fn) {
  const page = elem.closest('[data-testid="stMainBlockContainer"]') || document.body;
  const watch = new ResizeObserver(fn);
  watch.observe(page);
  window.addEventListener("resize", fn);
  return () => {
    watch.disconnect();
    window.removeEventListener("resize", fn);
  };
}
