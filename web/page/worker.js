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

self.onmessage = async (event) => {
  const { files, profile, fixing, checkedAt } = event.data;
  let z;
  try {
    z = await ready;
  } catch (e) {
    self.postMessage({ kind: "fatal", message: "无法启动核查程序：" + e });
    return;
  }
  let session;
  try {
    session = new z.Session(profile, fixing);
  } catch (e) {
    self.postMessage({ kind: "fatal", message: "规则配置无法读取：" + (e && e.message ? e.message : e) });
    return;
  }
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let result;
    try {
      result = session.add(f.name, new Uint8Array(f.bytes), checkedAt);
    } catch (e) {
      self.postMessage({ kind: "fatal", message: `${f.name}：内部错误：${e}` });
      return;
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
    done.error = String(e && e.message ? e.message : e);
  }
  session.free();
  self.postMessage(done, transfer);
};

self.postMessage({ kind: "hello", version: "loading" });
ready.then(
  (z) => self.postMessage({ kind: "ready", version: z.version(), profiles: JSON.parse(z.profiles()) }),
  (e) => self.postMessage({ kind: "fatal", message: "无法启动核查程序：" + e }),
);
