//! Decompressing a zip entry straight from the file's bytes with one decompressor per thread,
//! reset between entries. A workbook's parts are a few kilobytes each: setting up a fresh
//! decompressor (as the zip crate does for every entry) costs more than inflating one.
//!
//! Only the plain case is handled here — stored or deflated, not encrypted, sizes and checksum
//! as declared. On anything else the caller reads the entry through the zip crate, whose
//! errors then say what is wrong.

use std::cell::RefCell;
use std::io::Cursor;

use crate::limits::MAX_PART_BYTES;

thread_local! {
    static INFLATER: RefCell<flate2::Decompress> = RefCell::new(flate2::Decompress::new(false));
}

/// A zip container opened over a file's bytes.
pub(crate) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Reads entry `index` of `zip` (opened over `bytes`) into `out`, decompressed and its
/// checksum verified. False, with `out` in any state, when the entry is not the plain case.
pub(crate) fn entry_into(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    bytes: &[u8],
    index: usize,
    out: &mut Vec<u8>,
) -> bool {
    let Ok(entry) = zip.by_index_raw(index) else {
        return false;
    };
    let (method, size, crc) = (entry.compression(), entry.size(), entry.crc32());
    if entry.encrypted() || size > MAX_PART_BYTES {
        return false;
    }
    let data = entry
        .data_start()
        .and_then(|start| usize::try_from(start).ok())
        .zip(usize::try_from(entry.compressed_size()).ok())
        .and_then(|(start, len)| bytes.get(start..start.checked_add(len)?));
    let Some(data) = data else {
        return false;
    };
    out.clear();
    let inflated = match method {
        zip::CompressionMethod::Stored => {
            out.extend_from_slice(data);
            true
        }
        zip::CompressionMethod::Deflated => inflate(data, size as usize, out),
        _ => false,
    };
    inflated && out.len() as u64 == size && crc32fast::hash(out) == crc
}

/// Inflates raw deflate data that should come to `size` bytes (and may not exceed it) into
/// the empty `out`.
fn inflate(data: &[u8], size: usize, out: &mut Vec<u8>) -> bool {
    INFLATER.with_borrow_mut(|d| {
        d.reset(false);
        // One byte of slack tells a stream longer than declared from one that fits.
        out.reserve(size + 1);
        loop {
            let Some(input) = usize::try_from(d.total_in())
                .ok()
                .and_then(|consumed| data.get(consumed..))
            else {
                return false;
            };
            let (before_out, before_in) = (out.len(), d.total_in());
            let Ok(status) = d.decompress_vec(input, out, flate2::FlushDecompress::Finish) else {
                return false;
            };
            let stuck = out.len() == before_out && d.total_in() == before_in;
            match status {
                flate2::Status::StreamEnd => return true,
                _ if out.len() > size || stuck => return false,
                _ => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, method) in parts {
            let opts = zip::write::SimpleFileOptions::default().compression_method(*method);
            z.start_file(*name, opts).expect("start");
            z.write_all(data).expect("write");
        }
        z.finish().expect("finish").into_inner()
    }

    #[test]
    fn entries_read_as_the_zip_crate_reads_them_and_damage_is_refused() {
        let text = "项目支出绩效自评表".repeat(300);
        let bytes = zip_of(&[
            ("a.xml", text.as_bytes(), zip::CompressionMethod::Deflated),
            ("b.xml", b"stored", zip::CompressionMethod::Stored),
            ("c.xml", b"", zip::CompressionMethod::Deflated),
        ]);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
        let mut out = Vec::new();
        // The same decompressor serves every entry, in any order, again and again.
        for (i, want) in [
            (0, text.as_bytes()),
            (1, b"stored".as_slice()),
            (2, b""),
            (0, text.as_bytes()),
        ] {
            assert!(entry_into(&mut zip, &bytes, i, &mut out), "entry {i}");
            assert_eq!(out, want);
        }
        // A flipped byte in the deflated data: refused (bad data or bad checksum).
        let at = memchr::memmem::find(&bytes, b"b.xml").expect("second header") - 40;
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x55;
        let mut zip = zip::ZipArchive::new(Cursor::new(damaged.as_slice())).expect("zip");
        assert!(!entry_into(&mut zip, &damaged, 0, &mut out));
    }
}
