//! The embedded library, made ready to load fast: each file of `clauses/`
//! rewritten as JSON, which the binary parses several times faster than
//! TOML (see `src/library/load.rs`). The TOML files stay the only source;
//! a buyer's own library folder is read as TOML, with its lines named.
//!
//! It also writes the index of countries (`src/answer/country/index.rs`,
//! folded by `src/answer/fold.rs`: the same code as the crate's), sorted,
//! so that a check finds a country without building it first.

use std::path::Path;

#[path = "src/answer/fold.rs"]
mod folding;
// what `super::fold` names in the index's module, here as in the crate
use folding::fold;
#[path = "src/answer/country/index.rs"]
mod index;

/// The countries' index, sorted by key, as a Rust slice of pairs.
fn countries(out: &Path) {
    let table = Path::new("src/answer/countries.tsv");
    println!("cargo::rerun-if-changed={}", table.display());
    println!("cargo::rerun-if-changed=src/answer/fold.rs");
    println!("cargo::rerun-if-changed=src/answer/country/index.rs");
    let text = std::fs::read_to_string(table).expect("the table of countries is UTF-8");
    let mut keys: Vec<(String, &str)> = index::build(&text).into_iter().collect();
    keys.sort();
    let mut rust = String::from("&[\n");
    for (key, code) in keys {
        rust.push_str(&format!("    ({key:?}, {code:?}),\n"));
    }
    rust.push_str("]\n");
    std::fs::write(out.join("countries.rs"), rust).expect("OUT_DIR is writable");
}

fn json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        // The library's dates are read from a string as well.
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, json(v))).collect()),
    }
}

fn main() {
    countries(Path::new(
        &std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"),
    ));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("clauses");
    std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
    println!("cargo::rerun-if-changed=clauses");
    let mut names: Vec<_> = std::fs::read_dir("clauses")
        .expect("the clauses folder is beside Cargo.toml")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    for path in names {
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("clauses are UTF-8");
        let value: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().expect("a file").to_string_lossy();
        let written = serde_json::to_string(&json(toml::Value::Table(value))).expect("JSON");
        std::fs::write(out.join(format!("{name}.json")), written).expect("OUT_DIR is writable");
    }
}
