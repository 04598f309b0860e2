//! The inventory entry as JSON, in the Algorithmic Transparency Standard
//! 0.3.1 (see the module's documentation of [`crate::record`]).

use super::*;

/// The version of the Algorithmic Transparency Standard [`register`] follows.
pub const STANDARD_VERSION: &str = "0.3.1";

/// The inventory entry as JSON, following the Algorithmic Transparency
/// Standard 0.3.1 (see the module's documentation), with `missing`.
pub fn register(filled: &Filled) -> Value {
    let mut out = Map::new();
    let mut missing = Vec::new();
    for (f, e) in FIELDS
        .iter()
        .zip(&filled.entries)
        .filter(|(f, _)| f.register)
    {
        match (f.shape, e.missing()) {
            (Text, _) => {
                out.insert(f.key.into(), Value::String(e.pieces.join("\n")));
            }
            (_, false) => {
                if let Some(v) = &e.typed {
                    out.insert(f.key.into(), Value::String(v.clone()));
                }
            }
            (_, true) => {}
        }
        if e.missing() {
            missing.push(Value::String(f.key.into()));
        }
    }
    out.insert("standard_version".into(), STANDARD_VERSION.into());
    out.insert("lang".into(), filled.lang.code().into());
    out.insert("missing".into(), Value::Array(missing));
    Value::Object(out)
}
