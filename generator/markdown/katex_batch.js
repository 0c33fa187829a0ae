// Typesets a batch of formulas with KaTeX, for generator/markdown/katex.py: one Node process
// per build or check, not one per formula. Reads JSON from stdin: {"katex": "<path of the
// katex package>", "formulas": [[tex, display], ...]}; writes to stdout one JSON array with,
// for each formula in order, [html, null, null] or [null, message, position] (the offset in
// tex where KaTeX stopped, or null).
"use strict";
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const katex = require(request.katex);
  const results = request.formulas.map(([tex, display]) => {
    try {
      const html = katex.renderToString(tex, {
        displayMode: display,
        throwOnError: true, // a formula KaTeX cannot read is an error, not a red box
        strict: "error", // and so is LaTeX that KaTeX reads in a way LaTeX would not
        trust: false, // no \href, \url, \includegraphics, \htmlClass...: no links, no markup
        maxSize: 20, // em: no user-sized box larger than a screen
        maxExpand: 1000, // macro expansions per formula (KaTeX's default, stated)
        output: "htmlAndMathml", // what is seen, and MathML for screen readers
      });
      return [html, null, null];
    } catch (error) {
      if (error instanceof katex.ParseError) {
        return [null, error.rawMessage, error.position ?? null];
      }
      return [null, String(error && error.message ? error.message : error), null];
    }
  });
  process.stdout.write(JSON.stringify(results));
});
