// zpcheck's worker: the wasm library runs here, off the page's thread, so that a batch of
// hundreds of files leaves the page responsive. The build puts wasm-bindgen's glue
// (`wasm_bindgen`), page/inflate.js and the gzip+base64 wasm (`ZPCHECK_WASM`) before this file.
"use strict";

async function loadWasm() {
  const raw = Uint8Array.from(atob(ZPCHECK_WASM), (c) => c.charCodeAt(0));
  let bytes;
  if (typeof DecompressionStream === "function") {
    const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = await new Response(stream).arrayBuffer();
  } else {
    // Firefox before 113: page/inflate.js.
    bytes = zpGunzip(raw);
  }
  await wasm_bindgen({ module_or_path: bytes });
  return wasm_bindgen;
}

const ready = loadWasm();

// A batch: `trapped` lists the files (index → what the browser said) a previous instance
// stopped on — a trap ends a wasm instance, so the page starts a fresh worker and sends the
// batch again; those files are recorded as 内部错误 without being read, and the files before
// `showFrom`, already shown, are checked again silently so that the summary and zip hold every
// file. `failOn` (the page's tests only) names a file on which the library stops.
self.onmessage = async (event) => {
  const { files, profile, fixing, checkedAt, trapped, showFrom, failOn } = event.data;
  let z;
  try {
    z = await ready;
  } catch (e) {
    self.postMessage({ kind: "fatal", message: "无法启动核查程序（" + e + "）" });
    return;
  }
  let session;
  try {
    session = new z.Session(profile, fixing);
  } catch (e) {
    self.postMessage({ kind: "fatal", message: "规则配置无法读取：" + (e && e.message ? e.message : e) });
    return;
  }
  if (failOn) session.failOn(failOn);
  const skip = new Map(trapped || []);
  // Reports (.docx) are paired with workbooks as the command line pairs them: by name and
  // year, then file stem. Each file is read once for it (a file that stops the library here
  // is handled like one that stops it while checking).
  const isReport = (n) => /\.doc[xm]$/i.test(n);
  const partner = new Map();
  if (files.some((f) => isReport(f.name)) && files.some((f) => !isReport(f.name))) {
    for (let i = 0; i < files.length; i++) {
      if (skip.has(i)) {
        session.noteForPairing(files[i].name, new Uint8Array(0));
        continue;
      }
      try {
        session.noteForPairing(files[i].name, new Uint8Array(files[i].bytes));
      } catch (e) {
        self.postMessage({ kind: "trap", index: i, message: String(e && e.message ? `${e.name}: ${e.message}` : e) });
        return;
      }
    }
    for (const [r, w] of JSON.parse(session.pairs()).pairs) partner.set(r, w);
  }
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let result;
    if (skip.has(i)) {
      result = session.addInternalError(f.name, skip.get(i));
    } else {
      try {
        const w = partner.get(i);
        result = w === undefined
          ? session.add(f.name, new Uint8Array(f.bytes), checkedAt)
          : session.addPaired(f.name, new Uint8Array(f.bytes), checkedAt, files[w].name, new Uint8Array(files[w].bytes));
      } catch (e) {
        // This instance is finished: the page starts a fresh one for the rest.
        self.postMessage({ kind: "trap", index: i, message: String(e && e.message ? `${e.name}: ${e.message}` : e) });
        return;
      }
    }
    if (i < (showFrom || 0)) {
      result.free();
      continue;
    }
    const bytes = result.bytes;
    const msg = {
      kind: "file",
      index: i,
      total: files.length,
      name: f.name,
      json: result.json,
      text: result.text,
      output: result.output,
      bytes: bytes ? bytes.buffer : null,
    };
    result.free();
    self.postMessage(msg, bytes ? [bytes.buffer] : []);
  }
  const done = { kind: "done", json: session.json() };
  const transfer = [];
  try {
    const summary = session.summary();
    done.summary = summary.buffer;
    transfer.push(summary.buffer);
    if (fixing) {
      const zip = session.zip();
      done.zip = zip.buffer;
      transfer.push(zip.buffer);
    }
  } catch (e) {
    done.error = "汇总表或压缩包未能生成（" + String(e && e.message ? e.message : e) + "）";
  }
  session.free();
  self.postMessage(done, transfer);
};

self.postMessage({ kind: "hello", version: "loading" });
ready.then(
  (z) => self.postMessage({ kind: "ready", version: z.version(), profiles: JSON.parse(z.profiles()) }),
  (e) => self.postMessage({ kind: "fatal", message: "无法启动核查程序（" + e + "）" }),
);
