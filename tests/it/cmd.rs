//! Running the zpcheck binary from a test: arguments in, output out.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

/// Runs zpcheck with these arguments and waits for it. `CI` is removed from its environment:
/// progress output must not depend on where the tests run.
pub fn zpcheck(args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .env_remove("CI")
        .output()
        .expect("zpcheck starts")
}

/// [`zpcheck`] with text arguments.
pub fn run(args: &[&str]) -> Output {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    zpcheck(&args)
}

/// Its standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Its standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A path as an argument.
pub fn p(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}
