//! The layout keeps its promises: the module map in `src/lib.rs` lists every module of the
//! crate (and nothing that does not exist), and the simulator never decodes protocol bytes.

use std::fs;
use std::path::{Path, PathBuf};

const LIB: &str = include_str!("../src/lib.rs");

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

// Every `.rs` file under `dir`, recursively, in a stable order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

// The module path of a file: `src/node/mod.rs` is `node`, `src/node/rumor.rs` is `node::rumor`.
fn module_path(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    (parts != ["lib"]).then(|| parts.join("::"))
}

fn map_text() -> String {
    LIB.lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_module_map_in_lib_rs_lists_every_module() {
    let map = map_text();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter_map(|f| module_path(f))
        .filter(|m| !map.contains(&format!("`{m}`")))
        .collect();
    assert!(files.len() > 20, "found only {} files", files.len());
    assert!(
        missing.is_empty(),
        "modules missing from the map in src/lib.rs: {missing:?}"
    );
}

#[test]
fn every_module_the_map_names_exists() {
    let map = map_text();
    for line in map.lines() {
        let Some(rest) = line.trim_start().strip_prefix("* [`") else {
            continue;
        };
        let name = &rest[..rest.find('`').unwrap()];
        let rel = name.replace("::", "/");
        let file = src().join(format!("{rel}.rs"));
        let dir = src().join(&rel).join("mod.rs");
        assert!(
            file.exists() || dir.exists(),
            "the map names `{name}`, which has no file"
        );
    }
}

#[test]
fn every_top_level_module_is_declared_in_lib_rs_and_mapped() {
    let map = map_text();
    for line in LIB.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            assert!(
                map.contains(&format!("[`{name}`]")),
                "`pub mod {name}` is not in the map"
            );
        }
    }
}

#[test]
fn the_simulator_never_decodes_protocol_bytes() {
    let mut files = Vec::new();
    rust_files(&src().join("sim"), &mut files);
    assert!(!files.is_empty());
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for banned in ["crate::codec", "codec::decode", "wire::frame"] {
            assert!(
                !text.contains(banned),
                "{} uses {banned}: ask the node (Node::carried) or the kind table instead",
                f.display()
            );
        }
    }
}
