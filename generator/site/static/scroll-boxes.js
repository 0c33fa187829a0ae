// A table or a formula wider than its column scrolls sideways in a box of its own (Material
// wraps tables; display math scrolls in its div). A reader without a mouse must reach that box
// too (WCAG 2.1.1): like a code block, it takes the focus, and the arrow keys then scroll it.
// `document$` emits on the first load and after every instant navigation; Material wraps the
// tables when it does, and math.js typesets the formulas, so this runs just after them.
const SCROLL_BOXES = ".md-typeset__scrollwrap, .md-typeset div.arithmatex";

function focusableScrollBoxes() {
  for (const box of document.querySelectorAll(SCROLL_BOXES)) {
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
    } else {
      box.removeAttribute("tabindex");
    }
  }
}
document$.subscribe(() => setTimeout(focusableScrollBoxes));
window.addEventListener("resize", focusableScrollBoxes);
