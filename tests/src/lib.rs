//! Helpers shared by the test suites: where the project and its fixtures are, and how to
//! run the generator on them. The README is included below so that its client example is
//! compiled by `cargo test` and cannot go stale.
#![doc = include_str!("../../README.md")]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The main spec, `spec/create-contact.yaml`.
pub fn main_spec() -> PathBuf {
    root().join("spec/create-contact.yaml")
}

/// `tests/fixtures/<kind>/`.
pub fn fixtures(kind: &str) -> PathBuf {
    root().join("tests/fixtures").join(kind)
}

/// The read-only `../shared` folder beside the project, when it is there. Tests that need
/// it print that they were skipped when it is not.
pub fn shared() -> Option<PathBuf> {
    let shared = root().parent()?.join("shared");
    shared.is_dir().then_some(shared)
}

/// The settings `cargo xtask codegen` uses for `generated/`.
pub fn main_settings() -> generator::Settings {
    generator::Settings::new("highlevel-contacts", "spec/create-contact.yaml")
}

/// Settings for a fixture crate, named after its file.
pub fn fixture_settings(spec: &Path) -> generator::Settings {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("fixture");
    let mut settings = generator::Settings::new(
        format!("fixture-{stem}"),
        format!("tests/fixtures/ok/{stem}.yaml"),
    );
    settings.regenerate_command = "cargo insta test (fixture)".to_string();
    settings
}

/// A token distinctive enough that finding it anywhere in output is certainly a leak.
pub const TOKEN: &str = "pit-7f3a9c1e-SECRET-d0-n0t-l0g";

/// Fails when `text` (what `what` printed) shows the token or a part of it.
#[track_caller]
pub fn assert_no_token(what: &str, text: &str) {
    assert!(
        !text.contains(TOKEN),
        "the token leaks through {what}: {text}"
    );
    assert!(
        !text.contains("SECRET"),
        "part of the token leaks through {what}: {text}"
    );
}

/// Neither `Debug` nor `Display` of the error, nor of any of its sources, shows the token.
#[track_caller]
pub fn assert_error_hides_token(error: &dyn std::error::Error) {
    assert_no_token("the error's Debug", &format!("{error:?}"));
    assert_no_token("the error's alternate Debug", &format!("{error:#?}"));
    assert_no_token("the error's Display", &error.to_string());
    let mut source = error.source();
    while let Some(inner) = source {
        assert_no_token("an error source's Debug", &format!("{inner:?}"));
        assert_no_token("an error source's Display", &inner.to_string());
        source = inner.source();
    }
}

/// Whether `data` holds a whole HTTP/1.1 request: its head and as much body as its
/// `Content-Length` announces.
pub fn request_complete(data: &[u8]) -> bool {
    let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    data.len() >= end + 4 + length
}

/// Reads one request from a loopback client, giving up after a few seconds or when the
/// client stops sending.
pub fn read_request(stream: &mut std::net::TcpStream) -> Vec<u8> {
    use std::io::Read;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .expect("read timeout");
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request_complete(&data) {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
    data
}
