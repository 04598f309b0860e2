//! A lock's digest read from its text as boussole writes it: keys sorted
//! at every level, keys, strings and numbers as `serde_json` writes them.
//! Such a text is its own canonical form ([`super::content_digest`]) once
//! its spaces between tokens are dropped, so it is digested in one pass,
//! without a JSON tree. Any other text (a lock of an earlier version,
//! written in its fields' order, or one reformatted by hand) gives `None`,
//! and the JSON value decides.

use sha2::{Digest, Sha256};

/// Deepest nesting followed (`serde_json` stops at 128 too).
const MAX_DEPTH: usize = 128;

/// The canonical form is digested by pieces of about this many bytes.
const CHUNK: usize = 16 * 1024;

/// SHA-256, in hex, of the canonical form of `text` without its top-level
/// field `skip`, when `text` is written canonically but for its spaces;
/// `None` otherwise.
pub(super) fn digest(text: &str, skip: &str) -> Option<String> {
    let mut pass = Pass {
        text: text.as_bytes(),
        at: 0,
        out: Vec::with_capacity(CHUNK),
        hasher: Sha256::new(),
        writing: true,
    };
    pass.value(0, Some(skip))?;
    pass.space();
    (pass.at == pass.text.len()).then(|| {
        pass.hasher.update(&pass.out);
        hex::encode(pass.hasher.finalize())
    })
}

struct Pass<'t> {
    text: &'t [u8],
    at: usize,
    /// The canonical form since the last piece digested.
    out: Vec<u8>,
    /// What `out` held before: the canonical form is digested by chunks of
    /// [`CHUNK`] bytes, not kept whole.
    hasher: Sha256,
    /// Whether what is read goes to `out` (not while a skipped field's value is read).
    writing: bool,
}

impl<'t> Pass<'t> {
    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.text.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.text.get(self.at).copied()
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.writing {
            self.out.extend_from_slice(bytes);
            if self.out.len() >= CHUNK {
                self.hasher.update(&self.out);
                self.out.clear();
            }
        }
    }

    /// `byte` next (after spaces), written.
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| {
            self.at += 1;
            self.write(&[byte]);
        })
    }

    fn value(&mut self, depth: usize, skip: Option<&str>) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(depth, skip),
            b'[' => self.array(depth),
            b'"' => {
                let s = self.string()?;
                self.write(s);
                Some(())
            }
            _ => self.scalar(),
        }
    }

    /// An object whose keys are in order, each once; field `skip` left out.
    fn object(&mut self, depth: usize, skip: Option<&str>) -> Option<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            return self.expect(b'}');
        }
        let mut previous: Option<&[u8]> = None;
        let mut first = true;
        loop {
            let key = self.string()?;
            let name = inner(key);
            // a key with an escape is ordered by its decoded text: let the value decide
            if name.contains(&b'\\') || previous.is_some_and(|p| p >= name) {
                return None;
            }
            previous = Some(name);
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            if skip.is_some_and(|s| s.as_bytes() == name) {
                let writing = std::mem::replace(&mut self.writing, false);
                self.value(depth + 1, None)?;
                self.writing = writing;
            } else {
                if !first {
                    self.write(b",");
                }
                first = false;
                self.write(key);
                self.write(b":");
                self.value(depth + 1, None)?;
            }
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => return self.expect(b'}'),
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        self.expect(b'[')?;
        if self.peek()? == b']' {
            return self.expect(b']');
        }
        loop {
            self.value(depth + 1, None)?;
            match self.peek()? {
                b',' => self.expect(b',')?,
                b']' => return self.expect(b']'),
                _ => return None,
            }
        }
    }

    /// A string, quotes included, when written as `serde_json` writes it.
    fn string(&mut self) -> Option<&'t [u8]> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at;
        let mut escaped = false;
        let mut i = start + 1;
        // to the closing quote, an escaped character at a time (most of a
        // lock is text: found with memchr, not byte by byte)
        loop {
            i += memchr::memchr2(b'"', b'\\', self.text.get(i..)?)?;
            if self.text[i] == b'"' {
                break;
            }
            escaped = true;
            i += 2;
        }
        self.at = i + 1;
        let raw = self.text.get(start..self.at)?;
        // a control character is written escaped (the least byte found
        // over the whole string: a loop the compiler runs 16 bytes at a time)
        if raw.iter().fold(u8::MAX, |least, &c| least.min(c)) < 0x20 {
            return None;
        }
        if escaped {
            let decoded: String = serde_json::from_slice(raw).ok()?;
            if serde_json::to_string(&decoded).ok()?.as_bytes() != raw {
                return None;
            }
        }
        Some(raw)
    }

    /// A number, `true`, `false` or `null`, as `serde_json` writes it.
    fn scalar(&mut self) -> Option<()> {
        let start = self.at;
        while let Some(c) = self.text.get(self.at) {
            if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.at += 1;
        }
        let raw = std::str::from_utf8(self.text.get(start..self.at)?).ok()?;
        let canonical = match raw {
            "true" | "false" | "null" => true,
            _ => {
                serde_json::from_str::<serde_json::Number>(raw).is_ok_and(|n| n.to_string() == raw)
            }
        };
        canonical.then(|| self.write(raw.as_bytes()))
    }
}

/// A string's bytes without its quotes.
fn inner(quoted: &[u8]) -> &[u8] {
    quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The digest through the JSON value.
    fn through_value(text: &str) -> String {
        super::super::content_digest(&serde_json::from_str::<Value>(text).unwrap())
    }

    #[test]
    fn a_sorted_text_gives_the_digest_of_its_value() {
        for text in [
            r#"{"a": [true, null, "x"], "b": 1, "digest": "ignored", "e": {}}"#,
            "{\n  \"a\": [],\n  \"z\": {\"x\": -0.5, \"y\": \"é\\n\\\"\"}\n}\n",
            r#"{"a": 1, "a b": 0, "a!": 2, "m": 12345678901234567890, "n": 1e-7}"#,
            r#"{"a": "x\\", "b": ["\\\"", "« é »"]}"#,
            "[]",
        ] {
            assert_eq!(digest(text, "digest"), Some(through_value(text)), "{text}");
        }
    }

    #[test]
    fn any_other_text_is_left_to_the_value() {
        for text in [
            r#"{"b": 1, "a": 2}"#,
            r#"{"a": "\u00e9"}"#,
            r#"{"a": 1.0e3}"#,
            r#"{"a": 1, "a": 2}"#,
            r#"{"a\u0062": 1}"#,
            r#"{"a": 1} x"#,
            r#"{"a": 1"#,
            r#"{"a": "x\"}"#,
            "{\"a\": \"tab\there\"}",
        ] {
            assert_eq!(digest(text, "digest"), None, "{text}");
        }
    }
}
