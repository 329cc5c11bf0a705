// gunzip for browsers without DecompressionStream (Firefox before 113): the page's wasm is
// stored gzip-compressed, and this unpacks it where the browser cannot. A plain reading of
// RFC 1951 after zlib's puff.c: canonical Huffman codes decoded bit by bit. Slower than the
// browser's own (a few hundred milliseconds for the 3 MB program), and used only then.
"use strict";

const ZP_LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const ZP_LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const ZP_DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const ZP_DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const ZP_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function zpInflateRaw(src, size) {
  const out = new Uint8Array(size);
  let op = 0, ip = 0, buf = 0, cnt = 0;
  const bits = (n) => {
    while (cnt < n) {
      if (ip >= src.length) throw new Error("deflate data ends early");
      buf |= src[ip++] << cnt;
      cnt += 8;
    }
    const v = buf & ((1 << n) - 1);
    buf >>>= n;
    cnt -= n;
    return v;
  };
  const table = (lengths) => {
    const counts = new Uint16Array(16), offs = new Uint16Array(16), symbols = new Uint16Array(lengths.length);
    for (const l of lengths) counts[l]++;
    counts[0] = 0;
    for (let i = 1; i < 16; i++) offs[i] = offs[i - 1] + counts[i - 1];
    lengths.forEach((l, s) => { if (l) symbols[offs[l]++] = s; });
    return { counts, symbols };
  };
  const decode = (t) => {
    let code = 0, first = 0, index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = t.counts[len];
      if (code - count < first) return t.symbols[index + (code - first)];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Error("bad Huffman code");
  };
  const put = (b) => {
    if (op >= size) throw new Error("inflated data is longer than stated");
    out[op++] = b;
  };
  let fixed = null;
  for (let last = 0; !last;) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      buf = 0;
      cnt = 0;
      const len = src[ip] | (src[ip + 1] << 8);
      ip += 4;
      for (let i = 0; i < len; i++) put(src[ip++]);
      continue;
    }
    let lit, dist;
    if (type === 1) {
      if (!fixed) {
        const l = [];
        for (let i = 0; i < 288; i++) l.push(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
        fixed = [table(l), table(new Array(30).fill(5))];
      }
      [lit, dist] = fixed;
    } else if (type === 2) {
      const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      const cl = new Array(19).fill(0);
      for (let i = 0; i < ncode; i++) cl[ZP_ORDER[i]] = bits(3);
      const clt = table(cl);
      const lengths = [];
      while (lengths.length < nlen + ndist) {
        const sym = decode(clt);
        if (sym < 16) lengths.push(sym);
        else {
          let rep, val = 0;
          if (sym === 16) {
            if (!lengths.length) throw new Error("repeat with no length");
            val = lengths[lengths.length - 1];
            rep = 3 + bits(2);
          } else rep = sym === 17 ? 3 + bits(3) : 11 + bits(7);
          while (rep--) lengths.push(val);
        }
      }
      lit = table(lengths.slice(0, nlen));
      dist = table(lengths.slice(nlen, nlen + ndist));
    } else throw new Error("bad block type");
    for (;;) {
      const sym = decode(lit);
      if (sym < 256) put(sym);
      else if (sym === 256) break;
      else {
        const s = sym - 257;
        if (s >= 29) throw new Error("bad length code");
        const len = ZP_LBASE[s] + bits(ZP_LEXT[s]);
        const d = decode(dist);
        if (d >= 30) throw new Error("bad distance code");
        const back = ZP_DBASE[d] + bits(ZP_DEXT[d]);
        if (back > op) throw new Error("distance too far back");
        for (let i = 0; i < len; i++) put(out[op - back]);
      }
    }
  }
  if (op !== size) throw new Error("inflated data is shorter than stated");
  return out;
}

function zpGunzip(data) {
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new Error("not gzip data");
  const flags = data[3];
  let p = 10;
  if (flags & 4) p += 2 + (data[p] | (data[p + 1] << 8));
  if (flags & 8) while (data[p++]);
  if (flags & 16) while (data[p++]);
  if (flags & 2) p += 2;
  const n = data.length;
  const size = (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0;
  return zpInflateRaw(data.subarray(p, n - 8), size);
}

if (typeof module !== "undefined") module.exports = { zpGunzip };
