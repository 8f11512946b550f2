// Render LaTeX math with the real KaTeX in strict mode.
// stdin: JSON list of {"tex": "...", "display": true|false}
// stdout: JSON list of {"ok": true} or {"ok": false, "error": "..."} (same order).
// Exit status 0 when the input was readable; per-item failures are reported in the output.
"use strict";
const path = require("path");
const katex = require(require.resolve("katex", {
  paths: [process.env.KATEX_DIR || path.join(__dirname, "..")],
}));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const items = JSON.parse(input);
  const out = items.map((item) => {
    try {
      katex.renderToString(item.tex, {
        displayMode: item.display !== false,
        strict: "error",
        throwOnError: true,
      });
      return { ok: true };
    } catch (e) {
      return { ok: false, error: String(e && e.message ? e.message : e) };
    }
  });
  process.stdout.write(JSON.stringify({ katex: katex.version, results: out }));
});
