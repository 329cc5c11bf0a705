//! File-system traps: named pipes (named directly or met in a folder), directory links that
//! loop, folders that cannot be listed, and a device node given as the output. Each run must
//! end by itself (a deadline kills a hung one and fails the test), report the path that could
//! not be read and exit 2, and never replace what it did not write.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use zpcheck_testkit::sample;

/// Runs zpcheck with a deadline: a run that hangs (on a pipe, in a loop) is killed and fails.
fn run(args: &[&std::ffi::OsStr]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("zpcheck {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
}

#[test]
fn a_named_pipe_is_reported_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("管道.xlsx");
    mkfifo(&pipe);
    let o = run(&["check".as_ref(), pipe.as_os_str()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("管道.xlsx: 无法打开文件：不是普通文件（管道、设备或套接字），未读取"),
        "{stderr}"
    );

    // Met in a folder beside a form: the form is checked, the pipe reported, exit 2.
    std::fs::copy(sample("national_clean.xlsx"), dir.path().join("表.xlsx")).unwrap();
    let o = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{doc}");
    let by_name = |n: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(n))
            .unwrap()
    };
    assert_eq!(by_name("管道.xlsx")["status"], "error");
    assert_eq!(by_name("表.xlsx")["status"], "clean");
}

#[test]
fn directory_links_that_loop_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("national_clean.xlsx"), dir.path().join("表.xlsx")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("自己")).unwrap();
    let sub = dir.path().join("下级");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("回到上面")).unwrap();
    let o = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(1), "{doc}");
}

#[test]
fn a_folder_that_cannot_be_listed_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("national_clean.xlsx"), dir.path().join("表.xlsx")).unwrap();
    let locked = dir.path().join("上锁");
    std::fs::create_dir(&locked).unwrap();
    std::fs::copy(sample("national_clean.xlsx"), locked.join("里面.xlsx")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        // The superuser lists any folder: nothing to see here.
        eprintln!("running as root: a folder without permissions is still listed; skipped");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let o = run(&["check".as_ref(), dir.path().as_os_str()]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("上锁: 没有访问权限"), "{stderr}");
}

#[test]
fn a_device_given_as_the_output_is_refused_not_replaced() {
    let dev = Path::new("/dev/null");
    let o = run(&[
        "fix".as_ref(),
        sample("national_planted_errors.xlsx").as_os_str(),
        "-o".as_ref(),
        dev.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("不是普通文件（设备、管道或套接字），不会写入或替换"),
        "{stderr}"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(dev).unwrap().file_type().is_char_device());
}

#[test]
fn an_interrupted_batch_leaves_no_temporary_files() {
    // 300 forms to correct into a folder; SIGTERM (and, in a second run, SIGINT) arrives
    // mid-batch: exit 130, the message, no hidden .zpcheck-*.tmp file, and every output that is
    // there complete (zpcheck reads it).
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("报表");
    std::fs::create_dir(&inputs).unwrap();
    for i in 0..300 {
        std::fs::copy(
            sample("national_planted_errors.xlsx"),
            inputs.join(format!("表{i:03}.xlsx")),
        )
        .unwrap();
    }
    for (signal, name) in [(libc::SIGTERM, "term"), (libc::SIGINT, "int")] {
        let out = dir.path().join(name);
        let child = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
            .args([
                "fix".as_ref(),
                inputs.as_os_str(),
                "--out-dir".as_ref(),
                out.as_os_str(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until some outputs are there: the batch is under way.
        let start = Instant::now();
        while std::fs::read_dir(&out).map_or(0, |d| d.count()) < 20 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no output appeared"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(130), "{name}: {stderr}");
        assert!(stderr.contains("已中断；未写完的输出已删除"), "{stderr}");
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.len() < 300, "{name}: the batch had finished");
        assert!(
            names.iter().all(|n| n.ends_with("_核查.xlsx")),
            "{name}: {names:?}"
        );
        let o = run(&["check".as_ref(), out.as_os_str()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: every output there is whole"
        );
    }
}

#[test]
fn a_failed_write_is_counted_apart_and_corrects_nothing() {
    // The output cannot be written (a device): the file was read and checked, so its findings
    // are listed, but none is marked corrected; it is counted as 写出失败, not as unreadable.
    let input = sample("national_planted_errors.xlsx");
    let dev = Path::new("/dev/null");
    let o = run(&[
        "fix".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        dev.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["status"], "write_failed");
    assert_eq!(file["error"]["kind"], "write_failed");
    assert!(
        file["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("写出失败：/dev/null：不是普通文件"),
        "{file}"
    );
    let findings = file["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 9);
    assert!(findings.iter().all(|f| f["fixed"] == false), "{file}");
    let o = run(&[
        "fix".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        dev.as_os_str(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("H6  ZP104  错误："), "{out}");
    assert!(!out.contains("（已更正）"), "{out}");
    assert!(out.contains("（可自动更正）"), "{out}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.ends_with("共 1 个文件：0 个无误，1 个写出失败\n"),
        "{err}"
    );
    // One file: named once, as it failed, with no list of one after the report.
    assert!(
        err.contains("national_planted_errors.xlsx: 写出失败："),
        "{err}"
    );
    assert!(!err.contains("未能处理的文件"), "{err}");
}
