// Typeset the formulas that pymdownx.arithmatex marked, with the KaTeX copy the site serves
// itself (no CDN). `document$` emits on the first load and after every instant navigation.
document$.subscribe(() => {
  for (const element of document.querySelectorAll(".arithmatex:not([data-typeset])")) {
    // arithmatex writes inline math as \( ... \) in a span, display math as \[ ... \] in a div
    const source = element.textContent.trim().slice(2, -2);
    katex.render(source, element, {
      displayMode: element.tagName === "DIV",
      throwOnError: false, // a bad formula shows in red (.katex-error); tests look for it
    });
    element.dataset.typeset = "";
  }
  scrollableByKeyboard();
});

// A formula wider than the column scrolls in its own box (glossary.css); a reader without a
// mouse scrolls it once it has the focus, so such a box is focusable, and only such a box.
function scrollableByKeyboard() {
  for (const element of document.querySelectorAll("div.arithmatex[data-typeset]")) {
    if (element.scrollWidth > element.clientWidth) {
      element.tabIndex = 0;
    } else {
      element.removeAttribute("tabindex");
    }
  }
}
window.addEventListener("resize", scrollableByKeyboard);
