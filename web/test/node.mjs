// The wasm library in Node, on every sample: the same JSON report as the CLI's
// `check --format jsonl`, and the same corrected workbook as `fix -o`, byte for byte.
// Usage: node test/node.mjs <path of the zpcheck binary>
import { readFileSync, readdirSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const z = require("../pkg-node/zpcheck_web.js");
const cli = resolve(process.argv[2]);
const samples = resolve(new URL("../../samples", import.meta.url).pathname);
const names = readdirSync(samples).filter((n) => /\.(xlsx|xlsm|xls|ods)$/.test(n)).sort();
assert.ok(names.length >= 25, `only ${names.length} samples`);
const out = mkdtempSync(join(tmpdir(), "zpcheck-node-"));
const epoch = 1764668400;
const at = "2025-12-02 09:40:00（UTC+00:00）";
let workbooks = 0;
const started = process.hrtime.bigint();
for (const name of names) {
  const path = join(samples, name);
  const bytes = readFileSync(path);
  const check = new z.Session("国家", false);
  const r = check.add(path, bytes, at);
  const cliJson = spawnSync(cli, ["check", "--format", "jsonl", path], { encoding: "utf8" }).stdout;
  assert.equal(r.json + "\n", cliJson, name);
  r.free();
  check.free();

  const fix = new z.Session("国家", true);
  fix.fixCreationTime(epoch);
  const f = fix.add(path, bytes, at);
  if (f.output) {
    const target = join(out, f.output);
    const run = spawnSync(cli, ["fix", path, "-o", target], { env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } });
    assert.ok(run.status === 0 || run.status === 1, `${name}: fix exited ${run.status}`);
    assert.deepEqual(Buffer.from(f.bytes), readFileSync(target), `${name}: corrected workbook`);
    workbooks++;
  }
  f.free();
  fix.free();
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
// page/inflate.js, the page's gunzip where the browser has none, unpacks the program and
// deflate's other block kinds (stored, fixed codes).
const { zpGunzip } = require("../page/inflate.js");
const { gzipSync } = require("node:zlib");
const program = readFileSync(new URL("../pkg/zpcheck_web_bg.wasm", import.meta.url));
assert.ok(Buffer.from(zpGunzip(gzipSync(program, { level: 9 }))).equals(program), "inflate.js");
for (const [level, data] of [[0, Buffer.from("甲乙丙".repeat(30000))], [9, Buffer.from("abc")], [6, Buffer.alloc(70000, 7)]]) {
  assert.ok(Buffer.from(zpGunzip(gzipSync(data, { level }))).equals(data), `inflate.js level ${level}`);
}
console.log(`ok: ${names.length} samples, same JSON as the CLI; ${workbooks} corrected workbooks byte-identical (${ms.toFixed(0)} ms)`);
