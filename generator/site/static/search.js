// Exact names first in the site's search. Material's search worker (lunr) ranks pages by
// relevance alone, so "service" can list every "X as a Service" before the term Service, and
// "normalisation" finds nothing in a glossary written with American spelling. This script
// wraps the Worker class before Material's bundle starts its search worker (the glossary
// plugin lists it in `extra.polyfills`, which the theme loads before the bundle; after the
// iframe-worker shim, which stands in for Worker on file://), and changes two messages:
//
// - a query on its way to the worker: each British spelling (normalisation, optimise, ...)
//   becomes the American one when that is how a term's name or alias spells it;
// - the results on their way back: when the whole query is a term's name or alias (any
//   letter case; hyphens, spaces or neither between the words; either spelling), that term's
//   page is listed first, and added when lunr did not find it.
//
// The names come from the search index itself: a term page's `tags` are its name and aliases.
//
// It also holds back the search index, the largest download of a page, until the reader
// opens the search: Material requests it as soon as a page loads.
(() => {
  "use strict";

  const SETUP = 0; // Material's SearchMessageType
  const QUERY = 2;
  const RESULT = 3;
  const GLOSSARY = /^glossary\/[^#]+$/; // a generated page, never a section of one

  // British -> American, word by word, for names and queries alike.
  const SPELLINGS = [
    [/isation(s?)$/, "ization$1"],
    [/is(e|ed|es|er|ers|ing)$/, "iz$1"],
    [/yse(s|d)?$/, "yze$1"],
    [/our(s?)$/, "or$1"],
    [/tre(s?)$/, "ter$1"],
    [/(l)l(ed|ing|er|ers)$/, "$1$2"],
  ];

  const words = (text) => text.toLowerCase().normalize("NFKC").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const american = (word) => SPELLINGS.reduce((w, [pattern, to]) => w.replace(pattern, to), word);
  const key = (text) => words(text).map(american).join("");

  class Names {
    constructor(docs) {
      this.pages = new Map(); // key of a name or alias -> the term's page document
      this.vocabulary = new Set(); // every word of every name and alias, American spelling
      for (const doc of docs) {
        if (!GLOSSARY.test(doc.location) || !Array.isArray(doc.tags)) continue;
        for (const name of doc.tags) {
          const k = key(name);
          if (k && !this.pages.has(k)) this.pages.set(k, doc);
          for (const word of words(name)) this.vocabulary.add(american(word));
        }
      }
    }

    // The query with each British word replaced by the American one a name uses.
    spelled(query) {
      return query.replace(/[\p{L}\p{N}]+/gu, (word) => {
        const us = american(word.toLowerCase());
        return us !== word.toLowerCase() && this.vocabulary.has(us) ? us : word;
      });
    }

    // The results with the page of the term the query names, if any, first.
    ranked(query, result) {
      const page = this.pages.get(key(query));
      if (!page || !result || !Array.isArray(result.items)) return result;
      const items = result.items.filter((group) => group[0]?.location.split("#")[0] !== page.location);
      const found = result.items.find((group) => group[0]?.location.split("#")[0] === page.location);
      const best = result.items[0]?.[0]?.score ?? 1;
      const first = found ?? [{ ...page, score: best, terms: {} }];
      return { ...result, items: [first, ...items] };
    }
  }

  // Material requests the index with XMLHttpRequest (from file://, it loads a script instead,
  // from disk). Its request is sent when the search box first gets the focus, which each way
  // of opening the search gives it; at once on a page opened from a search result, whose
  // words Material highlights with the index (`?h=`).
  const INDEX = /\/search\/search_index\.json$/;
  const held = [];
  let searching = new URLSearchParams(location.search).has("h");
  const { open: openRequest, send: sendRequest } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.searchIndex = INDEX.test(new URL(url, location.href).pathname);
    return openRequest.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (!this.searchIndex || searching) return sendRequest.apply(this, body);
    held.push(() => sendRequest.apply(this, body));
  };
  document.addEventListener("focusin", (event) => {
    if (searching || !event.target.matches?.(".md-search__input")) return;
    searching = true;
    for (const request of held.splice(0)) request();
  });

  const Native = window.Worker;
  if (typeof Native !== "function") return;

  window.Worker = class GlossarySearchWorker extends Native {
    constructor(url, options) {
      super(url, options);
      this.search = /\/workers\/search\.[^/]*js/.test(String(url));
      this.names = null;
      this.queries = []; // sent and not answered yet, oldest first
      this.listeners = new WeakMap(); // listener -> its wrapper
      this.answers = new WeakMap(); // message event -> what listeners get: one per result
    }

    postMessage(message, ...rest) {
      if (this.search && message?.type === SETUP) this.names = new Names(message.data?.docs ?? []);
      if (this.search && message?.type === QUERY && this.names && typeof message.data === "string") {
        this.queries.push(message.data);
        message = { ...message, data: this.names.spelled(message.data) };
      }
      return super.postMessage(message, ...rest);
    }

    addEventListener(type, listener, options) {
      if (!this.search || type !== "message" || typeof listener !== "function")
        return super.addEventListener(type, listener, options);
      const wrapped = (event) => listener.call(this, this.answered(event));
      this.listeners.set(listener, wrapped);
      return super.addEventListener(type, wrapped, options);
    }

    removeEventListener(type, listener, options) {
      return super.removeEventListener(type, this.listeners.get(listener) ?? listener, options);
    }

    answered(event) {
      if (event.data?.type !== RESULT || !this.names || !this.queries.length) return event;
      if (!this.answers.has(event)) {
        const ranked = this.names.ranked(this.queries.shift(), event.data.data);
        this.answers.set(event, { data: { ...event.data, data: ranked } });
      }
      return this.answers.get(event);
    }
  };
})();
