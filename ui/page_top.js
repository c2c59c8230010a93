// Shared by the page's components (each one's Python module puts this file before its own script).

// Where `elem` would be with the page scrolled to the top (Streamlit scrolls its main block, not the window).
function pageTop(elem) {
  let top = elem.getBoundingClientRect().top + window.scrollY;
  for (let a = elem.parentElement; a; a = a.parentElement) top += a.scrollTop;
  return top;
}
