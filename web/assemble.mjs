// Puts the offline page together: one self-contained HTML file (dist/zpcheck.html) holding the
// page, the worker (wasm-bindgen's glue and web/page/worker.js) and the wasm, gzip-compressed
// and base64-encoded. One file, because a page opened from disk (file://) may not load a
// separate .wasm or worker file in Chromium.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

const here = new URL(".", import.meta.url);
const read = (p) => readFileSync(new URL(p, here));
const glue = read("pkg/zpcheck_web.js").toString();
const wasm = read("pkg/zpcheck_web_bg.wasm");
const gz = gzipSync(wasm, { level: 9 });
const worker = `${glue}\n${read("page/inflate.js")}\nconst ZPCHECK_WASM = "${gz.toString("base64")}";\n${read("page/worker.js")}`;
if (/<\/script/i.test(worker)) throw new Error("the worker's source holds </script");
const page = read("page/index.html").toString();
if (!page.includes("/*WORKER*/")) throw new Error("page/index.html has no /*WORKER*/ slot");
const html = page.replace("/*WORKER*/", () => worker);
mkdirSync(new URL("dist/", here), { recursive: true });
writeFileSync(new URL("dist/zpcheck.html", here), html);
console.log(`dist/zpcheck.html: ${(html.length / 1024 / 1024).toFixed(2)} MB (wasm ${(wasm.length / 1024 / 1024).toFixed(2)} MB, gzip ${(gz.length / 1024 / 1024).toFixed(2)} MB)`);
