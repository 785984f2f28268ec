//! Bounded work on any input: specs built to exhaust the stack, the memory or the clock
//! (deep nesting, alias bombs, huge files, `$ref` chains and cycles, pathological names)
//! each end quickly, with a result or with diagnostics, never a crash or a hang.
//!
//! Every case runs the whole generator on a thread with the default 2 MiB stack (a stack
//! overflow would abort the test binary) and is timed: the bound is generous, a guard
//! against hangs only. `cargo test --test hostile -- --nocapture` prints each time.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use generator::{Diagnostic, Error, GeneratedFile};

/// Far above what any case takes (a few seconds at most, unoptimized): only a hang trips it.
const HANG_GUARD: Duration = Duration::from_secs(120);

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\n";

/// Writes `files` into a fresh folder and generates from the first one.
fn generate(case: &str, files: &[(&str, String)]) -> Result<Vec<GeneratedFile>, Error> {
    generate_with(case, files, generator::load::LoadOptions::default())
}

fn generate_with(
    case: &str,
    files: &[(&str, String)],
    options: generator::load::LoadOptions,
) -> Result<Vec<GeneratedFile>, Error> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(&path, text).expect("the spec is written");
    }
    let spec = dir.path().join(files[0].0);
    let (result, elapsed) = timed(move || {
        let settings = generator::Settings::new("hostile", "spec.yaml");
        let options = generator::load::LoadOptions {
            ref_root: options.ref_root.map(|root| dir.path().join(root)),
            ..options
        };
        let result = generator::generate_with(&spec, &options, &settings);
        drop(dir);
        result
    });
    let outcome = match &result {
        Ok(files) => format!("generated {} files", files.len()),
        Err(error) => format!("{} diagnostic(s)", error.diagnostics().len()),
    };
    println!("{case}: {outcome} in {elapsed:.2?}");
    result
}

/// Runs `work` on its own thread (default stack), failing the test if it outlives the guard.
fn timed<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> (T, Duration) {
    let (send, receive) = mpsc::channel();
    let start = Instant::now();
    std::thread::spawn(move || {
        let _ = send.send(work());
    });
    match receive.recv_timeout(HANG_GUARD) {
        Ok(value) => (value, start.elapsed()),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("still running after {HANG_GUARD:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the generator panicked"),
    }
}

fn diagnostics(result: Result<Vec<GeneratedFile>, Error>) -> Vec<Diagnostic> {
    match result {
        Ok(files) => panic!("expected diagnostics, got {} files", files.len()),
        Err(error) => {
            assert!(!error.diagnostics().is_empty(), "a spec error: {error}");
            // Rendering is bounded too, whatever the number of diagnostics.
            let rendered = error.to_string();
            assert!(
                rendered.len() < 1_000_000,
                "{} bytes rendered",
                rendered.len()
            );
            error.diagnostics().to_vec()
        }
    }
}

fn expect_diagnostic(result: Result<Vec<GeneratedFile>, Error>, expected: &str) -> Diagnostic {
    let list = diagnostics(result);
    list.iter()
        .find(|d| d.message.contains(expected))
        .cloned()
        .unwrap_or_else(|| panic!("no diagnostic says `{expected}`: {list:#?}"))
}

fn expect_files(result: Result<Vec<GeneratedFile>, Error>) -> Vec<GeneratedFile> {
    result.unwrap_or_else(|error| panic!("expected a crate, got:\n{error}"))
}

fn file<'f>(files: &'f [GeneratedFile], path: &str) -> &'f str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// A spec with the given `components/schemas` (YAML, indented by 4) and one operation
/// that returns `#/components/schemas/{returned}`.
fn spec_with_schemas(schemas: &str, returned: &str) -> String {
    format!(
        "{HEAD}paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{returned}'}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

// ---------------------------------------------------------------------------------------
// Deep nesting: the parsers stop at 128 levels
// ---------------------------------------------------------------------------------------

#[test]
fn json_nested_100k_arrays_deep_is_a_syntax_error() {
    let depth = 100_000;
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"x-deep\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let found = expect_diagnostic(
        generate("json arrays 100k deep", &[("spec.json", text)]),
        "recursion limit",
    );
    assert_eq!(found.line_col.map(|(line, _)| line), Some(1));
}

#[test]
fn json_nested_100k_objects_deep_is_a_syntax_error() {
    let depth = 100_000;
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"x-deep\": {}1{}}}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    expect_diagnostic(
        generate("json objects 100k deep", &[("spec.json", text)]),
        "recursion limit",
    );
}

#[test]
fn yaml_nested_100k_flow_collections_deep_is_a_syntax_error() {
    let depth = 100_000;
    let text = format!(
        "{HEAD}paths: {{}}\nx-deep: {}1{}\n",
        "[{a: ".repeat(depth),
        "}]".repeat(depth)
    );
    expect_diagnostic(
        generate("yaml flow 100k deep", &[("spec.yaml", text)]),
        "recursion limit",
    );
}

#[test]
fn yaml_nested_2000_block_mappings_deep_is_a_syntax_error() {
    let mut text = format!("{HEAD}paths: {{}}\nx-deep:\n");
    for level in 1..2000 {
        text.push_str(&format!("{}a:\n", "  ".repeat(level)));
    }
    expect_diagnostic(
        generate("yaml block 2000 deep", &[("spec.yaml", text)]),
        "recursion limit",
    );
}

#[test]
fn schemas_nested_deeper_than_lowering_allows_are_a_diagnostic() {
    // 100 arrays of arrays: legal for the parser (under 128 levels), too deep to lower.
    let depth = 100;
    let schema = format!(
        "{}{{type: string}}{}",
        "{type: array, items: ".repeat(depth),
        "}".repeat(depth)
    );
    let text = spec_with_schemas(&format!("    Deep: {schema}\n"), "Deep");
    let found = expect_diagnostic(
        generate("schemas 100 deep", &[("spec.yaml", text)]),
        "nested more than 64 levels",
    );
    assert!(
        found
            .pointer
            .starts_with("#/components/schemas/Deep/items/items"),
        "{found:?}"
    );
}

// ---------------------------------------------------------------------------------------
// YAML aliases
// ---------------------------------------------------------------------------------------

#[test]
fn yaml_billion_laughs_is_refused() {
    let mut text =
        format!("{HEAD}paths: {{}}\nx-lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*lol{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("x-lol{level}: &lol{level} [{items}]\n"));
    }
    expect_diagnostic(
        generate("yaml billion laughs", &[("spec.yaml", text)]),
        "repetition limit",
    );
}

#[test]
fn yaml_alias_to_itself_is_refused() {
    let text = format!("{HEAD}paths: {{}}\nx-loop: &loop [*loop]\n");
    diagnostics(generate("yaml alias cycle", &[("spec.yaml", text)]));
}

// ---------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------

const FIFTY_MB: usize = 50 * 1024 * 1024;

#[test]
fn a_50_mb_json_spec_generates() {
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"Big\", \"version\": \"1\"}}, \"paths\": {{}}, \"x-blob\": \"{}\"}}",
        "a".repeat(FIFTY_MB)
    );
    expect_files(generate("json 50 MB string", &[("spec.json", text)]));
}

#[test]
fn a_50_mb_yaml_spec_generates() {
    let mut text = format!("{HEAD}paths: {{}}\nx-lines:\n");
    let line = format!("  - {}\n", "b".repeat(1000));
    while text.len() < FIFTY_MB {
        text.push_str(&line);
    }
    expect_files(generate("yaml 50 MB of lines", &[("spec.yaml", text)]));
}

#[test]
fn a_50_mb_json_spec_of_small_values_generates() {
    let mut text = String::from(
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Big\", \"version\": \"1\"}, \"paths\": {}, \"x-numbers\": [0",
    );
    while text.len() < FIFTY_MB {
        text.push_str(",1234567");
    }
    text.push_str("]}");
    expect_files(generate("json 50 MB of numbers", &[("spec.json", text)]));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).expect("a file");
    file.set_len(generator::load::MAX_FILE_BYTES + 1)
        .expect("a sparse file");
    let (result, elapsed) = timed(move || generator::load::load(&path));
    println!("sparse file over the limit: refused in {elapsed:.2?}");
    let error = result.expect_err("refused");
    assert!(error.to_string().contains("MiB"), "{error}");
}

#[test]
fn refs_to_files_past_the_total_size_limit_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let limit = generator::load::MAX_FILE_BYTES;
    // `a.json` is read (just under the per-file limit); `b.json`, sparse, would pass the
    // total: it is refused by its size, unread.
    let head = "{\"components\": {\"schemas\": {\"A\": {\"type\": \"string\", \"x-blob\": \"";
    let tail = "\"}}}}";
    let blob = "a".repeat(limit as usize - 100 - head.len() - tail.len());
    std::fs::write(dir.path().join("a.json"), format!("{head}{blob}{tail}")).expect("written");
    let b = std::fs::File::create(dir.path().join("b.json")).expect("a file");
    b.set_len(limit).expect("a sparse file");
    let spec = dir.path().join("spec.yaml");
    std::fs::write(
        &spec,
        spec_with_schemas(
            "    A: {$ref: 'a.json#/components/schemas/A'}\n    B: {$ref: 'b.json#/components/schemas/B'}\n",
            "A",
        ),
    )
    .expect("written");
    let keep = dir;
    let (result, elapsed) =
        timed(move || generator::generate(&spec, &generator::Settings::new("x", "x")));
    drop(keep);
    println!("files past the total size: refused in {elapsed:.2?}");
    let found = expect_diagnostic(
        result,
        "MiB that a spec and its `$ref`d files may add up to",
    );
    assert!(
        found.pointer.starts_with("#/components/schemas/B"),
        "{found:?}"
    );
}

#[test]
fn a_spec_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().to_path_buf();
    let (result, _) = timed(move || generator::load::load(&folder));
    let error = result.expect_err("refused");
    assert!(error.to_string().contains("not a regular file"), "{error}");
}

#[cfg(unix)]
#[test]
fn a_ref_to_a_device_or_a_pipe_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let fifo = dir.path().join("pipe.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).expect("a symlink");
    let text = spec_with_schemas(
        "    A: {$ref: 'pipe.yaml#/components/schemas/A'}\n    B: {$ref: 'zero.yaml#/components/schemas/B'}\n",
        "A",
    );
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, text).expect("the spec is written");
    let root = dir.path().to_path_buf();
    let (result, elapsed) = timed(move || {
        let options = generator::load::LoadOptions {
            // Allow /dev too, so that it is the file type that refuses `zero.yaml`.
            ref_root: Some(PathBuf::from("/")),
            ..Default::default()
        };
        let _keep = root;
        generator::generate_with(&spec, &options, &generator::Settings::new("x", "x"))
    });
    println!("ref to a fifo and /dev/zero: refused in {elapsed:.2?}");
    let list = diagnostics(result);
    assert_eq!(
        list.iter()
            .filter(|d| d.message.contains("not a regular file"))
            .count(),
        2,
        "{list:#?}"
    );
}

// ---------------------------------------------------------------------------------------
// `$ref` chains and cycles
// ---------------------------------------------------------------------------------------

const CHAIN: usize = 10_000;

/// `A0: {$ref: A1}` ... `A9999: {$ref: End}`, `End: object`.
fn alias_chain(prefix: &str) -> String {
    let mut schemas = String::new();
    for index in 0..CHAIN {
        let next = if index + 1 == CHAIN {
            "End".to_string()
        } else {
            format!("A{}", index + 1)
        };
        schemas.push_str(&format!(
            "    A{index}: {{$ref: '{prefix}#/components/schemas/{next}'}}\n"
        ));
    }
    schemas.push_str("    End: {type: object, properties: {id: {type: string}}}\n");
    schemas
}

#[test]
fn a_chain_of_10k_local_refs_generates() {
    let text = spec_with_schemas(&alias_chain(""), "A0");
    let files = expect_files(generate("10k local ref chain", &[("spec.yaml", text)]));
    assert!(file(&files, "src/models.rs").contains("pub type A0 = A1;"));
}

#[test]
fn a_chain_of_10k_refs_in_another_file_generates() {
    let text = spec_with_schemas(
        "    Start: {$ref: 'chain.yaml#/components/schemas/A0'}\n",
        "Start",
    );
    let chain = format!("components:\n  schemas:\n{}", alias_chain(""));
    let files = expect_files(generate(
        "10k ref chain in another file",
        &[("spec.yaml", text), ("chain.yaml", chain)],
    ));
    assert!(file(&files, "src/models.rs").contains("pub type A9999 = End;"));
}

#[test]
fn a_chain_of_refs_through_1000_files_generates() {
    let mut files = vec![(
        "spec.yaml".to_string(),
        spec_with_schemas(
            "    Start: {$ref: 'f0.yaml#/components/schemas/S0'}\n",
            "Start",
        ),
    )];
    for index in 0..1000 {
        let next = if index + 1 == 1000 {
            "{type: object, properties: {id: {type: string}}}".to_string()
        } else {
            format!(
                "{{$ref: 'f{}.yaml#/components/schemas/S{}'}}",
                index + 1,
                index + 1
            )
        };
        files.push((
            format!("f{index}.yaml"),
            format!("components:\n  schemas:\n    S{index}: {next}\n"),
        ));
    }
    let borrowed: Vec<(&str, String)> =
        files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let generated = expect_files(generate("ref chain through 1000 files", &borrowed));
    assert!(file(&generated, "src/models.rs").contains("pub struct S999"));
}

#[test]
fn a_chain_of_10k_refs_to_schemas_outside_components_becomes_named_types() {
    // A value `$ref`d as a schema is named after its place, not copied: the chain is ten
    // thousand aliases, each written once.
    let text = spec_with_schemas("    Start: {$ref: 'defs.yaml#/defs/D0'}\n", "Start");
    let mut defs = String::from("defs:\n");
    for index in 0..CHAIN {
        defs.push_str(&format!("  D{index}: {{$ref: '#/defs/D{}'}}\n", index + 1));
    }
    defs.push_str(&format!("  D{CHAIN}: {{type: string}}\n"));
    let files = expect_files(generate(
        "10k non-component ref chain",
        &[("spec.yaml", text), ("defs.yaml", defs)],
    ));
    let models = file(&files, "src/models.rs");
    assert!(models.contains("pub type D0 = D1;"));
    assert!(models.contains(&format!("pub type D{CHAIN} = String;")));
}

#[test]
fn a_chain_of_refs_copied_in_place_is_cut_short() {
    // A `content` map has no section under `components`: a `$ref` to one is copied.
    let text = format!(
        "{HEAD}paths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{$ref: 'defs.yaml#/c/C0'}}\n"
    );
    let mut defs = String::from("c:\n");
    for index in 0..CHAIN {
        defs.push_str(&format!("  C{index}: {{$ref: '#/c/C{}'}}\n", index + 1));
    }
    defs.push_str(&format!(
        "  C{CHAIN}: {{application/json: {{schema: {{type: string}}}}}}\n"
    ));
    expect_diagnostic(
        generate(
            "10k copied ref chain",
            &[("spec.yaml", text), ("defs.yaml", defs)],
        ),
        "more than 32 `$ref`s",
    );
}

#[test]
fn refs_to_schemas_that_would_copy_exponentially_become_shared_named_types() {
    // Each level holds two refs to the next: 2^40 copies if followed blindly, 41 types
    // when each level is named once.
    let text = spec_with_schemas("    Start: {$ref: 'defs.yaml#/defs/L0'}\n", "Start");
    let mut defs = String::from("defs:\n");
    for level in 0..40 {
        let next = format!("{{$ref: '#/defs/L{}'}}", level + 1);
        defs.push_str(&format!(
            "  L{level}: {{type: object, properties: {{a: {next}, b: {next}}}}}\n"
        ));
    }
    defs.push_str("  L40: {type: string}\n");
    let files = expect_files(generate(
        "exponential ref copies",
        &[("spec.yaml", text), ("defs.yaml", defs)],
    ));
    let models = file(&files, "src/models.rs");
    assert_eq!(models.matches("pub struct L").count(), 40);
    assert!(models.len() < 200_000, "{} bytes", models.len());
}

#[test]
fn refs_copied_in_place_exponentially_are_cut_short() {
    // Server variables have no section under `components`: each `$ref` among them is a
    // copy, and each level copies the next twice.
    let mut defs = String::from("v:\n");
    for level in 0..40 {
        let next = format!("{{$ref: '#/v/L{}'}}", level + 1);
        defs.push_str(&format!(
            "  L{level}: {{default: x, a: {next}, b: {next}}}\n"
        ));
    }
    defs.push_str("  L40: {default: x}\n");
    let text = format!(
        "{HEAD}servers:\n  - url: https://example.com\n    variables: {{v: {{$ref: 'defs.yaml#/v/L0'}}}}\npaths: {{}}\n"
    );
    expect_diagnostic(
        generate(
            "exponential copies",
            &[("spec.yaml", text), ("defs.yaml", defs)],
        ),
        "copy more than",
    );
}

#[test]
fn schemas_that_are_refs_to_one_another_are_a_diagnostic() {
    let text = spec_with_schemas(
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        "A",
    );
    let found = expect_diagnostic(
        generate("alias cycle A-B", &[("spec.yaml", text)]),
        "`$ref`s to one another",
    );
    assert_eq!(found.pointer, "#/components/schemas/A");
}

#[test]
fn a_cycle_of_10k_aliases_is_one_diagnostic() {
    let mut schemas = String::new();
    for index in 0..CHAIN {
        schemas.push_str(&format!(
            "    A{index}: {{$ref: '#/components/schemas/A{}'}}\n",
            (index + 1) % CHAIN
        ));
    }
    let list = diagnostics(generate(
        "10k alias cycle",
        &[("spec.yaml", spec_with_schemas(&schemas, "A0"))],
    ));
    assert_eq!(list.len(), 1, "{:#?}", &list[..list.len().min(3)]);
}

#[test]
fn a_cycle_of_aliases_across_files_is_a_diagnostic() {
    let text = spec_with_schemas("    A: {$ref: 'other.yaml#/components/schemas/B'}\n", "A");
    let other =
        "components:\n  schemas:\n    B: {$ref: 'spec.yaml#/components/schemas/A'}\n".to_string();
    expect_diagnostic(
        generate(
            "alias cycle across files",
            &[("spec.yaml", text), ("other.yaml", other)],
        ),
        "`$ref`s to one another",
    );
}

#[test]
fn a_cycle_of_schemas_outside_components_across_files_is_a_recursive_type() {
    let text = spec_with_schemas("    A: {$ref: 'one.yaml#/defs/X'}\n", "A");
    let one =
        "defs:\n  X: {type: object, properties: {y: {$ref: 'two.yaml#/defs/Y'}}}\n".to_string();
    let two = "defs:\n  Y: {type: array, items: {$ref: 'one.yaml#/defs/X'}}\n".to_string();
    let files = expect_files(generate(
        "non-component cycle across files",
        &[("spec.yaml", text), ("one.yaml", one), ("two.yaml", two)],
    ));
    let models = file(&files, "src/models.rs");
    assert!(models.contains("pub y: Option<Y>"), "{models}");
    assert!(models.contains("pub type Y = Vec<X>;"), "{models}");
}

#[test]
fn an_all_of_cycle_is_a_diagnostic() {
    let text = spec_with_schemas(
        "    A: {allOf: [{$ref: '#/components/schemas/B'}, {type: object, properties: {a: {type: string}}}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {b: {type: string}}}]}\n",
        "A",
    );
    expect_diagnostic(
        generate("allOf cycle", &[("spec.yaml", text)]),
        "includes the schema it is a member of",
    );
}

#[test]
fn a_union_of_itself_with_examples_finishes() {
    // Example checks follow `oneOf`s: a union whose members are itself must not explode.
    let mut members = vec!["{$ref: '#/components/schemas/U'}"; 8];
    members.push("{type: string}");
    let text = spec_with_schemas(
        &format!(
            "    U:\n      oneOf: [{}]\n      example: 5\n",
            members.join(", ")
        ),
        "U",
    );
    let _ = generate("self-union with example", &[("spec.yaml", text)]);
}

// ---------------------------------------------------------------------------------------
// `$ref`s stay in the spec's folder
// ---------------------------------------------------------------------------------------

#[test]
fn refs_out_of_the_spec_folder_are_refused_unless_the_root_allows_them() {
    let text = spec_with_schemas(
        "    A: {$ref: '../common/common.yaml#/components/schemas/C'}\n",
        "A",
    );
    let common =
        "components:\n  schemas:\n    C: {type: object, properties: {c: {type: string}}}\n"
            .to_string();
    let files = [("apps/spec.yaml", text), ("common/common.yaml", common)];
    let found = expect_diagnostic(
        generate("ref out of the spec folder", &files),
        "outside the folder",
    );
    assert!(
        found
            .help
            .as_deref()
            .is_some_and(|h| h.contains("--ref-root")),
        "{found:?}"
    );
    let allowed = generator::load::LoadOptions {
        ref_root: Some(PathBuf::from(".")),
        ..Default::default()
    };
    expect_files(generate_with(
        "ref out of the spec folder, root allowed",
        &files,
        allowed,
    ));
}

#[test]
fn dot_dot_cannot_climb_out_of_the_root_even_when_it_comes_back() {
    // `apps/../../outside/x.yaml` climbs past the root; `apps/../apps/x.yaml` stays in.
    let text = spec_with_schemas(
        "    A: {$ref: '../../secret.yaml#/components/schemas/S'}\n    B: {$ref: '../apps/b.yaml#/components/schemas/B'}\n",
        "B",
    );
    let b = "components:\n  schemas:\n    B: {type: string}\n".to_string();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("apps")).expect("folders");
    std::fs::write(
        dir.path().join("secret.yaml"),
        "components: {schemas: {S: {type: string}}}\n",
    )
    .expect("written");
    std::fs::write(root.join("apps/spec.yaml"), text).expect("written");
    std::fs::write(root.join("apps/b.yaml"), b).expect("written");
    let spec = root.join("apps/spec.yaml");
    let options = generator::load::LoadOptions {
        ref_root: Some(root.clone()),
        ..Default::default()
    };
    let list = diagnostics(generator::generate_with(
        &spec,
        &options,
        &generator::Settings::new("x", "x"),
    ));
    assert_eq!(list.len(), 1, "{list:#?}");
    assert!(list[0].message.contains("outside the folder"), "{list:#?}");
    assert!(
        list[0].pointer.starts_with("#/components/schemas/A/"),
        "{list:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("root");
    std::fs::create_dir_all(&root).expect("a folder");
    std::fs::write(
        dir.path().join("secret.yaml"),
        "components: {schemas: {S: {type: string}}}\n",
    )
    .expect("written");
    std::os::unix::fs::symlink(dir.path().join("secret.yaml"), root.join("inside.yaml"))
        .expect("a symlink");
    let spec = root.join("spec.yaml");
    std::fs::write(
        &spec,
        spec_with_schemas("    A: {$ref: 'inside.yaml#/components/schemas/S'}\n", "A"),
    )
    .expect("written");
    let found = expect_diagnostic(
        generator::generate(&spec, &generator::Settings::new("x", "x")),
        "outside the folder",
    );
    assert_eq!(found.line_col.map(|(line, _)| line), Some(15), "{found:?}");
}

#[test]
fn remote_refs_are_refused() {
    let text = spec_with_schemas(
        "    A: {$ref: 'https://example.com/a.yaml#/components/schemas/A'}\n    B: {$ref: 'http://127.0.0.1:1/b.yaml#/B'}\n",
        "A",
    );
    let list = diagnostics(generate("remote refs", &[("spec.yaml", text)]));
    assert_eq!(list.len(), 2, "{list:#?}");
    assert!(
        list.iter().all(|d| d.message.contains("is not followed")),
        "{list:#?}"
    );
}

// ---------------------------------------------------------------------------------------
// Pathological names
// ---------------------------------------------------------------------------------------

/// Every generated file parses as Rust (format.rs checks it too; this guards the guard).
fn assert_rust(files: &[GeneratedFile]) {
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        if let Err(error) = syn::parse_file(&file.contents) {
            panic!("{} does not parse: {error}", file.path);
        }
    }
}

#[test]
fn names_of_10k_characters_generate() {
    let long = "n".repeat(10_000);
    let text = format!(
        "{HEAD}paths:\n  ? /{long}/{{{long}}}\n  : get:\n      operationId: {long}\n      parameters:\n        - {{name: {long}, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{long}'}}\ncomponents:\n  schemas:\n    ? {long}\n    : type: object\n      properties:\n        ? {long}\n        : type: string\n          enum: [{long}]\n"
    );
    let files = expect_files(generate("10k-character names", &[("spec.yaml", text)]));
    assert_rust(&files);
}

#[test]
fn names_of_punctuation_or_non_ascii_only_generate() {
    let names = [
        "'!!!'",
        "'---'",
        "'名前'",
        "'🦀🦀'",
        "'@'",
        "'_'",
        "'0'",
        "'Self'",
        "'self'",
        "'$ref'",
        "'  '",
        "''",
    ];
    let mut schemas = String::from("    Holder:\n      type: object\n      properties:\n");
    for (index, name) in names.iter().enumerate() {
        schemas.push_str(&format!(
            "        {name}: {{$ref: '#/components/schemas/S{index}'}}\n"
        ));
    }
    for index in 0..names.len() {
        schemas.push_str(&format!(
            "    S{index}: {{type: string, enum: [{}]}}\n",
            names
                .iter()
                .take(index + 1)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for name in names {
        schemas.push_str(&format!(
            "    {name}: {{type: object, properties: {{x: {{type: integer}}}}}}\n"
        ));
    }
    let files = expect_files(generate(
        "punctuation and non-ASCII names",
        &[("spec.yaml", spec_with_schemas(&schemas, "Holder"))],
    ));
    assert_rust(&files);
}

#[test]
fn thousands_of_colliding_names_generate() {
    // 3000 schemas, 3000 properties and 3000 enum values that all convert to one name:
    // `x`, then `x` with the digits of a number spelled in punctuation.
    let count = 3000;
    let spelled = |index: usize| {
        let marks: String = index
            .to_string()
            .chars()
            .map(|digit| b"-.@~^=+!?_"[digit.to_digit(10).unwrap_or(0) as usize] as char)
            .collect();
        format!("'x{}'", if index == 0 { String::new() } else { marks })
    };
    let mut schemas = String::from("    Holder:\n      type: object\n      properties:\n");
    for index in 0..count {
        schemas.push_str(&format!("        {}: {{type: string}}\n", spelled(index)));
    }
    schemas.push_str("    Values:\n      type: string\n      enum:\n");
    for index in 0..count {
        schemas.push_str(&format!("        - {}\n", spelled(index)));
    }
    for index in 0..count {
        schemas.push_str(&format!(
            "    {}: {{type: object, properties: {{v: {{type: integer}}}}}}\n",
            spelled(index)
        ));
    }
    let files = expect_files(generate(
        "3000 colliding names",
        &[("spec.yaml", spec_with_schemas(&schemas, "Holder"))],
    ));
    assert_rust(&files);
    let models = file(&files, "src/models.rs");
    assert!(
        models.contains(&format!("pub struct X{count}")),
        "numbered names"
    );
}

#[test]
fn thousands_of_problems_are_all_returned_and_rendering_stays_short() {
    let mut schemas = String::new();
    for index in 0..20_000 {
        schemas.push_str(&format!("    S{index}: {{type: strang}}\n"));
    }
    let list = diagnostics(generate(
        "20k problems",
        &[("spec.yaml", spec_with_schemas(&schemas, "S0"))],
    ));
    assert_eq!(list.len(), 20_000);
    assert!(
        list.iter().all(|d| d.line_col.is_some()),
        "every one is located"
    );
}
