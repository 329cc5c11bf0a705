//! A zip file's central directory read straight from its bytes: each entry's name, method,
//! time, CRC-32, sizes and where its data starts. The seal ([`crate::write::seal`]) digests and
//! copies every entry of a workbook zpcheck has just written, and digests the input it was made
//! from; opening each through the zip crate's archive (which builds its own index of names)
//! cost more than the rest of the seal together.
//!
//! Only the plain format is read: no zip64, no multi-disk archive, no encrypted entry. On
//! anything else [`entries`] returns `None`, and the caller goes another way (a file that is
//! not such a zip is not a sealed zpcheck output).

/// One entry as the central directory describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// Its name, as stored.
    pub name: &'a [u8],
    /// 0 stored, 8 deflated (others are passed on as they are).
    pub method: u16,
    /// DOS time and date.
    pub time_date: (u16, u16),
    /// CRC-32 of the uncompressed data.
    pub crc: u32,
    /// Compressed size.
    pub compressed: u32,
    /// Uncompressed size.
    pub size: u32,
    /// Offset of its local header.
    local: u32,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The entries of a zip file in central-directory order; `None` when the bytes are not a
/// plain zip file (see the module docs).
pub(crate) fn entries(bytes: &[u8]) -> Option<Vec<Entry<'_>>> {
    // The end record: 22 bytes, then a comment of up to 64 KiB.
    const EOCD: u32 = 0x0605_4b50;
    let low = bytes.len().saturating_sub(22 + 0xFFFF);
    let end = (low..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(EOCD))?;
    let (disk, cd_disk) = (u16_at(bytes, end + 4)?, u16_at(bytes, end + 6)?);
    let count = u16_at(bytes, end + 10)?;
    let cd_offset = u32_at(bytes, end + 16)?;
    if disk != 0 || cd_disk != 0 || count == u16::MAX || cd_offset == u32::MAX {
        return None;
    }
    let mut at = usize::try_from(cd_offset).ok()?;
    let mut out = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return None;
        }
        let flags = u16_at(bytes, at + 8)?;
        let (compressed, size, local) = (
            u32_at(bytes, at + 20)?,
            u32_at(bytes, at + 24)?,
            u32_at(bytes, at + 42)?,
        );
        if flags & 1 != 0 || [compressed, size, local].contains(&u32::MAX) {
            return None;
        }
        let name_len = usize::from(u16_at(bytes, at + 28)?);
        let skip = usize::from(u16_at(bytes, at + 30)?) + usize::from(u16_at(bytes, at + 32)?);
        out.push(Entry {
            name: bytes.get(at + 46..at + 46 + name_len)?,
            method: u16_at(bytes, at + 10)?,
            time_date: (u16_at(bytes, at + 12)?, u16_at(bytes, at + 14)?),
            crc: u32_at(bytes, at + 16)?,
            compressed,
            size,
            local,
        });
        at += 46 + name_len + skip;
    }
    Some(out)
}

impl Entry<'_> {
    /// Its data as stored (compressed or not), from its local header.
    pub(crate) fn data<'b>(&self, bytes: &'b [u8]) -> Option<&'b [u8]> {
        let at = usize::try_from(self.local).ok()?;
        if u32_at(bytes, at)? != 0x0403_4b50 {
            return None;
        }
        let start =
            at + 30 + usize::from(u16_at(bytes, at + 26)?) + usize::from(u16_at(bytes, at + 28)?);
        bytes.get(start..start.checked_add(usize::try_from(self.compressed).ok()?)?)
    }

    /// Its data uncompressed, when it is stored or deflated, at most `limit` bytes, and its
    /// CRC-32 as declared.
    pub(crate) fn inflate(&self, bytes: &[u8], limit: u32) -> Option<Vec<u8>> {
        if self.size > limit {
            return None;
        }
        let data = self.data(bytes)?;
        let out = match self.method {
            0 => data.to_vec(),
            8 => {
                let mut out = Vec::with_capacity(usize::try_from(self.size).ok()?);
                let mut d = flate2::Decompress::new(false);
                d.decompress_vec(data, &mut out, flate2::FlushDecompress::Finish)
                    .ok()?;
                out
            }
            _ => return None,
        };
        (crc32fast::hash(&out) == self.crc && out.len() == usize::try_from(self.size).ok()?)
            .then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ooxml::archive::Archive;

    #[test]
    fn entries_agree_with_the_zip_crate() {
        let long = "项目支出绩效自评表 ".repeat(800);
        let mut a = Archive::with_capacity(0);
        a.add("xl/worksheets/sheet1.xml", long.as_bytes()).unwrap();
        a.add("[Content_Types].xml", b"<Types/>").unwrap();
        a.add("核查结果.xml", b"<x/>").unwrap();
        let bytes = a.finish().unwrap();
        let ours = entries(&bytes).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(ours.len(), z.len());
        for (i, e) in ours.iter().enumerate() {
            let raw = z.by_index_raw(i).unwrap();
            assert_eq!(e.name, raw.name_raw());
            assert_eq!((e.crc, u64::from(e.size)), (raw.crc32(), raw.size()));
            assert_eq!(u64::from(e.compressed), raw.compressed_size());
        }
        assert_eq!(ours[0].method, 8, "the long part is deflated");
        assert_eq!(
            ours[0].inflate(&bytes, 1 << 20).as_deref(),
            Some(long.as_bytes())
        );
        assert_eq!(
            ours[2].inflate(&bytes, 1 << 20).as_deref(),
            Some(&b"<x/>"[..])
        );
        // Over the limit, or not a zip at all: nothing.
        assert_eq!(ours[0].inflate(&bytes, 10), None);
        assert_eq!(entries(b"PK not really"), None);
        assert_eq!(entries(&bytes[..bytes.len() - 3]), None);
    }
}
