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
});
