//! The console window when files are dropped on zpcheck.exe in Windows Explorer.
//!
//! Explorer starts the program with the files as arguments and a console window of its own,
//! which closes the moment the program ends, taking the report with it. In that case (and only
//! then) zpcheck waits for Enter before it exits. It never waits when run from a command prompt
//! (the console is shared with the shell), when any standard stream is redirected or piped, or
//! when the environment variable `CI` is set.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

/// Whether to keep the console open: not under CI, every standard stream a terminal, and this
/// process the only one attached to its console (Explorer made the console for it).
pub fn should_pause(ci: bool, all_terminals: bool, console_processes: u32) -> bool {
    !ci && all_terminals && console_processes == 1
}

/// Whether this process was started by dropping files on it (see the module docs).
pub fn dropped_on_program() -> bool {
    let terminals = std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal();
    should_pause(
        std::env::var_os("CI").is_some(),
        terminals,
        console_processes(),
    )
}

/// How many processes share this process's console; 0 when unknown or not on Windows.
#[cfg(windows)]
fn console_processes() -> u32 {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut ids = [0u32; 4];
    // SAFETY: the buffer holds `ids.len()` process ids; the call writes at most that many and
    // returns the total count (which may be larger: then we only need the count).
    unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) }
}

#[cfg(not(windows))]
fn console_processes() -> u32 {
    0
}

/// Asks for Enter before the console closes.
pub fn wait_for_enter() {
    eprint!("\n按回车键退出…");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_only_in_a_console_of_its_own_with_nothing_redirected_and_no_ci() {
        assert!(should_pause(false, true, 1));
        // Started from cmd.exe or PowerShell: the shell shares the console.
        assert!(!should_pause(false, true, 2));
        // Output redirected or piped.
        assert!(!should_pause(false, false, 1));
        // CI set.
        assert!(!should_pause(true, true, 1));
        // Not Windows, or the count is unknown.
        assert!(!should_pause(false, true, 0));
    }

    #[cfg(not(windows))]
    #[test]
    fn never_pauses_off_windows() {
        assert!(!dropped_on_program());
    }
}
