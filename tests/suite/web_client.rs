//! A client for `boussole serve`'s application, in process: requests go
//! through the same router, guard and handlers as over the network.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The `Host` every request carries.
pub const HOST: &str = "127.0.0.1:8450";

/// What the server answered.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `Location` of a redirection.
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// A part of a multipart form: a text field or a file.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

/// The application and its runtime.
pub struct Client {
    router: Router,
    pub token: String,
    runtime: tokio::runtime::Runtime,
    /// Extra headers sent with every request (a language cookie…).
    pub headers: Vec<(String, String)>,
}

impl Client {
    /// A fresh server, reading XLS files through the boussole binary as `serve` does.
    pub fn new() -> Client {
        let config = boussole::web::Config {
            isolate: Some(env!("CARGO_BIN_EXE_boussole").into()),
            hosts: vec![HOST.to_string(), format!("localhost:{}", 8450)],
            jobs: 2,
            library: boussole::library::load(None).unwrap(),
        };
        let (router, state) = boussole::web::app(config).unwrap();
        Client {
            router,
            token: state.token().to_string(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            headers: Vec::new(),
        }
    }

    /// Sends `request` (with the `Host` header and the extra headers).
    pub fn send(&self, mut request: Request<Body>) -> Answer {
        let headers = request.headers_mut();
        headers.entry(header::HOST).or_insert(HOST.parse().unwrap());
        for (k, v) in &self.headers {
            headers.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        self.runtime.block_on(async {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let (parts, body) = response.into_parts();
            let body = body.collect().await.unwrap().to_bytes().to_vec();
            Answer {
                status: parts.status,
                headers: parts.headers,
                body,
            }
        })
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap())
    }

    /// POSTs a URL-encoded form (the token is added unless `pairs` has one).
    pub fn post_form(&self, path: &str, pairs: &[(String, String)]) -> Answer {
        let mut all: Vec<(String, String)> = pairs.to_vec();
        if !all.iter().any(|(k, _)| k == boussole::web::TOKEN_FIELD) {
            all.push((boussole::web::TOKEN_FIELD.into(), self.token.clone()));
        }
        let body = form_body(&all);
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
    }

    /// POSTs a multipart form, with the token first.
    pub fn post_multipart(&self, path: &str, parts: &[Part]) -> Answer {
        let token = self.token.clone();
        let mut all = vec![Part::Text(boussole::web::TOKEN_FIELD, &token)];
        all.extend(parts.iter().map(|p| match p {
            Part::Text(k, v) => Part::Text(k, v),
            Part::File(k, n, b) => Part::File(k, n, b),
        }));
        self.post_multipart_raw(path, &all)
    }

    /// POSTs a multipart form exactly as given.
    pub fn post_multipart_raw(&self, path: &str, parts: &[Part]) -> Answer {
        let boundary = "----boussole-test-boundary";
        let mut body = Vec::new();
        for p in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match p {
                Part::Text(name, value) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                        )
                        .as_bytes(),
                    );
                }
                Part::File(name, file, bytes) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                             Content-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                    body.extend_from_slice(b"\r\n");
                }
            }
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(path)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
    }

    /// The form of the page at `path` whose action is `action`, as a browser
    /// would send it untouched: inputs, checked boxes, selected options, text areas.
    pub fn form_values(&self, path: &str, action: &str) -> Vec<(String, String)> {
        let page = self.get(path).text();
        let start = page
            .find(&format!("action=\"{action}\""))
            .expect("the form is on the page");
        let form = &page[start..start + page[start..].find("</form>").unwrap()];
        let mut pairs = Vec::new();
        for tag in form.split('<').skip(1) {
            let attrs = attributes(tag);
            let name = attrs.get("name").cloned().unwrap_or_default();
            if name.is_empty() {
                continue;
            }
            if tag.starts_with("input") {
                let kind = attrs.get("type").map(String::as_str).unwrap_or("text");
                if kind == "file" || (kind == "checkbox" && !attrs.contains_key("checked")) {
                    continue;
                }
                pairs.push((name, attrs.get("value").cloned().unwrap_or_default()));
            } else if tag.starts_with("select") {
                let options = &form[form.find(tag).unwrap()..];
                let options = &options[..options.find("</select>").unwrap()];
                let chosen = options
                    .split("<option")
                    .skip(1)
                    .find(|o| o.contains(" selected"))
                    .or_else(|| options.split("<option").nth(1))
                    .map(|o| attributes(o).get("value").cloned().unwrap_or_default())
                    .unwrap_or_default();
                pairs.push((name, chosen));
            } else if tag.starts_with("textarea") {
                let text = tag.split_once('>').map(|(_, t)| t).unwrap_or_default();
                pairs.push((name, unescape(text)));
            }
        }
        pairs
    }
}

/// The attributes of a tag's text (after `<`).
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let head = tag.split_once('>').map_or(tag, |(h, _)| h);
    let mut out = BTreeMap::new();
    let mut rest = head;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq]
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        let after = &rest[eq + 1..];
        let Some(value) = after.strip_prefix('"') else {
            break;
        };
        let end = value.find('"').unwrap_or(value.len());
        out.insert(name, unescape(&value[..end]));
        rest = &value[(end + 1).min(value.len())..];
    }
    for flag in ["checked", "selected", "required", "multiple"] {
        if head.split_whitespace().any(|w| w == flag) {
            out.insert(flag.into(), String::new());
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Pairs as a URL-encoded form body.
pub fn form_body(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Replaces the value of `name` in `pairs`.
pub fn set(pairs: &mut [(String, String)], name: &str, value: &str) {
    let pair = pairs
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    pair.1 = value.to_string();
}
