//! Writing the patched package as a zip file: the input's unchanged parts copied still
//! compressed, the changed and new ones deflated with one compressor per thread.
//!
//! Why not the zip crate's writer: it sets up a new deflate state for every part (a few
//! hundred kilobytes allocated and cleared), which cost more than compressing the few
//! kilobytes of XML a form's parts hold. The format written is the plain one every reader
//! takes — local header, data, central directory, end record; no data descriptors, no extra
//! fields, no zip64 (a form is tens of kilobytes; the input guard caps it at 100 MB).

use std::cell::RefCell;

use super::R;

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Zip;

thread_local! {
    static DEFLATER: RefCell<flate2::Compress> =
        RefCell::new(flate2::Compress::new(flate2::Compression::new(1), false));
}

/// DOS time and date of 1980-01-01 00:00, the zip format's epoch, for new parts (as
/// rust_xlsxwriter writes them): the output is the same bytes for the same input.
const EPOCH: (u16, u16) = (0, 0x21);

/// The largest part stored without compression.
const STORED_MAX: usize = 4096;

/// One entry as the central directory describes it.
struct Entry {
    name: Vec<u8>,
    method: u16,
    time: u16,
    date: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// A zip file being written into memory.
pub(crate) struct Archive {
    out: Vec<u8>,
    entries: Vec<Entry>,
    /// Whether the entries say they were made on Unix (a zip of files for a person to unpack)
    /// rather than MS-DOS (an OOXML package, as Office writes it). Info-ZIP's `unzip` (Debian,
    /// UOS, Kylin) reads the names of MS-DOS entries as OEM code page text even when their
    /// UTF-8 flag is set, and garbles Chinese names.
    unix: bool,
}

fn u32_of(n: impl TryInto<u32>) -> R<u32> {
    n.try_into().map_err(|_| give_up!())
}

impl Archive {
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        Archive {
            out: Vec::with_capacity(bytes),
            entries: Vec::new(),
            unix: false,
        }
    }

    /// An archive of files for a person to unpack: entries made on Unix, mode rw-r--r--.
    pub(crate) fn for_files(bytes: usize) -> Self {
        Archive {
            unix: true,
            ..Archive::with_capacity(bytes)
        }
    }

    /// Adds an entry whose data is already in its final form.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        &mut self,
        name: &str,
        method: u16,
        (time, date): (u16, u16),
        crc: u32,
        size: u32,
        data: &[u8],
    ) -> R<()> {
        let entry = Entry {
            name: name.as_bytes().to_vec(),
            method,
            time,
            date,
            crc,
            compressed: u32_of(data.len())?,
            size,
            offset: u32_of(self.out.len())?,
        };
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        self.common(&entry)?;
        self.out.extend_from_slice(&entry.name);
        self.out.extend_from_slice(data);
        self.entries.push(entry);
        Ok(())
    }

    /// The fields local and central headers share, from "version needed" to "extra length".
    fn common(&mut self, e: &Entry) -> R<()> {
        // Bit 11: the name is UTF-8.
        let flags: u16 = if e.name.is_ascii() { 0 } else { 1 << 11 };
        let name_len = u16::try_from(e.name.len()).map_err(|_| give_up!())?;
        for v in [20u16, flags, e.method, e.time, e.date] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [e.crc, e.compressed, e.size] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name_len, 0] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        Ok(())
    }

    /// Copies an entry of the input as it is stored (compressed data untouched).
    pub(crate) fn copy(
        &mut self,
        name: &str,
        method: u16,
        time_date: (u16, u16),
        crc: u32,
        size: u64,
        data: &[u8],
    ) -> R<()> {
        self.entry(name, method, time_date, crc, u32_of(size)?, data)
    }

    /// Copies the entry `raw` of the zip file `bytes` as it is stored (its compressed data
    /// untouched, its time kept). Gives up on a compression other than stored or deflated, on
    /// an encrypted entry, and on data outside `bytes`.
    pub(crate) fn copy_entry<T: std::io::Read>(
        &mut self,
        name: &str,
        raw: &zip::read::ZipFile<'_, T>,
        bytes: &[u8],
    ) -> R<()> {
        let method = match raw.compression() {
            zip::CompressionMethod::Stored => 0,
            zip::CompressionMethod::Deflated => 8,
            _ => return Err(give_up!()),
        };
        if raw.encrypted() {
            return Err(give_up!());
        }
        let when = raw
            .last_modified()
            .map_or(EPOCH, |d| (d.timepart(), d.datepart()));
        let start = raw
            .data_start()
            .and_then(|s| usize::try_from(s).ok())
            .ok_or(give_up!())?;
        let len = usize::try_from(raw.compressed_size()).map_err(|_| give_up!())?;
        let data = bytes
            .get(start..start.checked_add(len).ok_or(give_up!())?)
            .ok_or(give_up!())?;
        self.copy(name, method, when, raw.crc32(), raw.size(), data)
    }

    /// Adds a part: deflated, or stored as it is when it is small enough that compressing
    /// it would save only a few hundred bytes (relationships, the content types, the
    /// workbook part), since setting up each deflate stream costs more than the bytes.
    pub(crate) fn add(&mut self, name: &str, content: &[u8]) -> R<()> {
        let crc = crc32fast::hash(content);
        let size = u32_of(content.len())?;
        if content.len() <= STORED_MAX {
            return self.entry(name, 0, EPOCH, crc, size, content);
        }
        let mut data = Vec::with_capacity(content.len() / 3 + 64);
        deflate(content, &mut data)?;
        self.entry(name, 8, EPOCH, crc, size, &data)
    }

    /// The finished zip file.
    pub(crate) fn finish(mut self) -> R<Vec<u8>> {
        let start = u32_of(self.out.len())?;
        let entries = std::mem::take(&mut self.entries);
        for e in &entries {
            self.out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            // Version made by: 2.0, MS-DOS attributes; or 3.0 on Unix (host 3 in the high
            // byte), with the file's mode in the external attributes' high half.
            let made_by: u16 = if self.unix { 0x031E } else { 20 };
            self.out.extend_from_slice(&made_by.to_le_bytes());
            self.common(e)?;
            // Comment length, disk, internal attributes.
            self.out.extend_from_slice(&[0; 6]);
            let external: u32 = if self.unix { 0o100644 << 16 } else { 0 };
            self.out.extend_from_slice(&external.to_le_bytes());
            self.out.extend_from_slice(&e.offset.to_le_bytes());
            self.out.extend_from_slice(&e.name);
        }
        let size = u32_of(self.out.len())? - start;
        let count = u16::try_from(entries.len()).map_err(|_| give_up!())?;
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]);
        for v in [count, count] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [size, start] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        self.out.extend_from_slice(&[0; 2]);
        Ok(self.out)
    }
}

/// Raw deflate (level 1) of `input`, appended to `out`.
fn deflate(input: &[u8], out: &mut Vec<u8>) -> R<()> {
    DEFLATER.with_borrow_mut(|c| {
        c.reset();
        loop {
            let consumed = usize::try_from(c.total_in()).map_err(|_| give_up!())?;
            let rest = input.get(consumed..).ok_or(give_up!())?;
            out.reserve(rest.len() / 2 + 64);
            let status = c
                .compress_vec(rest, out, flate2::FlushCompress::Finish)
                .map_err(|_| give_up!())?;
            if status == flate2::Status::StreamEnd {
                return Ok(());
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn what_is_written_reads_back_with_the_zip_crate() {
        let text = "项目支出绩效自评表 ".repeat(500);
        let mut a = Archive::with_capacity(0);
        a.add("xl/worksheets/sheet1.xml", text.as_bytes()).unwrap();
        a.add("[Content_Types].xml", b"").unwrap();
        a.copy(
            "stored.txt",
            0,
            (0x6000, 0x5821),
            crc32fast::hash(b"raw"),
            3,
            b"raw",
        )
        .unwrap();
        a.add("核查结果.xml", b"<x/>").unwrap();
        let bytes = a.finish().unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(z.len(), 4);
        for (name, want) in [
            ("xl/worksheets/sheet1.xml", text.as_bytes()),
            ("[Content_Types].xml", b"".as_slice()),
            ("stored.txt", b"raw"),
            ("核查结果.xml", b"<x/>"),
        ] {
            let mut got = Vec::new();
            z.by_name(name).unwrap().read_to_end(&mut got).unwrap();
            assert_eq!(got, want, "{name}");
        }
        let copied = z.by_name("stored.txt").unwrap();
        let when = copied.last_modified().unwrap();
        assert_eq!((when.timepart(), when.datepart()), (0x6000, 0x5821));
    }
}
