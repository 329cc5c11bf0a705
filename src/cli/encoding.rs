//! How the text report is encoded when it goes to a file on Windows.
//!
//! On a console, Rust writes through the console's Unicode interface and Chinese shows as
//! it is, whatever the code page. Redirected (`zpcheck.exe check 目录 > 结果.txt`), the bytes go
//! to the file as they are, and UTF-8 without a mark shows as mojibake with `type 结果.txt` on a
//! Chinese system (code page 936) and in older Notepads. So a redirected text report is written
//! in the console's own code page (GBK under 936), which `type`, Notepad and WPS all read as
//! the system's text — what a native Windows program writes. With no console at all (started
//! by another program) or a code page zpcheck does not know, it is UTF-8 with a byte order
//! mark, which Notepad and PowerShell recognise. JSON is always plain UTF-8: it is for scripts,
//! and JSON must not start with a byte order mark. Off Windows nothing changes.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::Encoding;

/// How human-readable text is written to standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 as it is (a terminal, or not Windows).
    Utf8,
    /// UTF-8 preceded by a byte order mark, once.
    Utf8Bom,
    /// A Windows code page's encoding (GBK for 936).
    CodePage(&'static Encoding),
}

/// The encoding of a Windows code page zpcheck writes in; `None` for others.
pub fn code_page_encoding(cp: u32) -> Option<&'static Encoding> {
    Some(match cp {
        936 => encoding_rs::GBK,
        54936 => encoding_rs::GB18030,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        1252 => encoding_rs::WINDOWS_1252,
        65001 => encoding_rs::UTF_8,
        _ => return None,
    })
}

/// The choice for a process: on Windows with standard output redirected, the console's code
/// page (`0` when there is no console); otherwise UTF-8.
pub fn choose(windows: bool, stdout_is_terminal: bool, console_cp: u32) -> TextEncoding {
    if !windows || stdout_is_terminal {
        return TextEncoding::Utf8;
    }
    match code_page_encoding(console_cp) {
        Some(e) if e == encoding_rs::UTF_8 => TextEncoding::Utf8,
        Some(e) => TextEncoding::CodePage(e),
        None => TextEncoding::Utf8Bom,
    }
}

/// This process's choice.
pub fn current() -> TextEncoding {
    use std::io::IsTerminal as _;
    choose(
        cfg!(windows),
        std::io::stdout().is_terminal(),
        console_output_cp(),
    )
}

#[cfg(windows)]
fn console_output_cp() -> u32 {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetConsoleOutputCP() -> u32;
    }
    // SAFETY: takes nothing, returns the code page or 0 when the process has no console.
    unsafe { GetConsoleOutputCP() }
}

#[cfg(not(windows))]
fn console_output_cp() -> u32 {
    0
}

/// Whether the byte order mark has been written (it goes before the first text only).
static BOM_WRITTEN: AtomicBool = AtomicBool::new(false);

/// The bytes `text` is written as.
pub fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    match encoding {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if !BOM_WRITTEN.swap(true, Ordering::Relaxed) {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
        // A character the code page lacks becomes "&#NNNN;" (encoding_rs's replacement for
        // encoders): rare in these reports, and still readable.
        TextEncoding::CodePage(e) => e.encode(text).0.into_owned(),
    }
}

/// Writes human-readable text to standard output in the process's encoding. A closed pipe is
/// not an error (the caller ends quietly).
pub fn print(text: &str) {
    let bytes = encode(text, current());
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&bytes);
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirected_report_on_chinese_windows_is_gbk() {
        assert_eq!(choose(false, false, 936), TextEncoding::Utf8);
        assert_eq!(choose(true, true, 936), TextEncoding::Utf8);
        assert_eq!(
            choose(true, false, 936),
            TextEncoding::CodePage(encoding_rs::GBK)
        );
        assert_eq!(choose(true, false, 65001), TextEncoding::Utf8);
        assert_eq!(choose(true, false, 0), TextEncoding::Utf8Bom);
        assert_eq!(choose(true, false, 437), TextEncoding::Utf8Bom);
        let gbk = encode("错误 1 个，≥90%", TextEncoding::CodePage(encoding_rs::GBK));
        assert_eq!(
            gbk,
            [
                0xB4, 0xED, 0xCE, 0xF3, b' ', b'1', b' ', 0xB8, 0xF6, 0xA3, 0xAC, 0xA1, 0xDD, b'9',
                b'0', b'%'
            ]
        );
    }

    #[test]
    fn the_byte_order_mark_is_written_once() {
        let first = encode("甲", TextEncoding::Utf8Bom);
        let second = encode("乙", TextEncoding::Utf8Bom);
        assert_eq!(first, "\u{feff}甲".as_bytes());
        assert_eq!(second, "乙".as_bytes());
    }
}
