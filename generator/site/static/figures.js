// Opens a figure of a term page full size, with its caption, in a dialog over the page.
//
// Each image of a figure is a link to the image alone (render.py), so without this script a
// click still shows it. With it, the image opens in a <dialog>: at least its own size, so that
// its smallest text stays legible on a phone (the dialog scrolls sideways when the figure is
// wider than the screen), larger on a wide screen. Escape, the close button or a tap closes it,
// and the focus goes back to the link. Nothing is fetched but the image itself, so it works
// from file:// too. `document$` emits on the first load and after every instant navigation.
(() => {
  const GROWTH = 1.6; // how much larger than its own size a figure may open on a wide screen

  function viewer() {
    let dialog = document.querySelector("dialog.glossary-lightbox");
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "glossary-lightbox";
    dialog.setAttribute("aria-label", "Figure");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "glossary-lightbox__close";
    close.setAttribute("aria-label", "Close the figure");
    close.textContent = "\u00d7";
    const frame = document.createElement("div");
    frame.className = "glossary-lightbox__frame";
    frame.tabIndex = 0; // scrollable with the keyboard when wider than the screen
    const image = document.createElement("img");
    frame.append(image);
    const caption = document.createElement("p");
    caption.className = "glossary-lightbox__caption";
    dialog.append(close, frame, caption);
    // A tap anywhere closes it; scrolling a wide figure is not a tap.
    dialog.addEventListener("click", () => dialog.close());
    document.body.append(dialog);
    return dialog;
  }

  function open(link) {
    const shown = link.querySelector("img");
    const figure = link.closest("figure");
    const dialog = viewer();
    const image = dialog.querySelector("img");
    image.src = link.getAttribute("href");
    image.alt = shown ? shown.alt : "";
    const width = Number(shown && shown.getAttribute("width"));
    if (width > 0) {
      image.style.width = `max(${width}px, min(94vw, ${Math.round(width * GROWTH)}px))`;
    } else {
      image.style.removeProperty("width");
    }
    const caption = figure && figure.querySelector("figcaption");
    dialog.querySelector(".glossary-lightbox__caption").textContent = caption
      ? caption.textContent
      : "";
    dialog.setAttribute("aria-label", caption ? caption.textContent.split(":")[0] : "Figure");
    dialog.showModal();
    dialog.querySelector(".glossary-lightbox__frame").scrollLeft = 0;
  }

  document$.subscribe(() => {
    for (const link of document.querySelectorAll("a.glossary-figure__open:not([data-viewer])")) {
      link.dataset.viewer = "";
      link.addEventListener("click", (event) => {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        open(link);
      });
    }
  });
})();
