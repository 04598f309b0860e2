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
    /// The server's state (its links).
    pub state: boussole::web::Shared,
    /// The `Host` requests carry unless they say otherwise.
    pub host: String,
    runtime: tokio::runtime::Runtime,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// Cookies sent with every request (`name=value`), as a browser keeps them.
    pub cookies: Vec<String>,
}

/// The server's setup as `serve` makes it on 127.0.0.1:8450, within `limits`.
pub fn config(limits: boussole::web::Limits) -> boussole::web::Config {
    boussole::web::Config {
        isolate: Some(env!("CARGO_BIN_EXE_boussole").into()),
        hosts: boussole::web::Config::hosts_for(HOST.parse().unwrap(), &[]),
        jobs: 2,
        library: boussole::library::load(None).unwrap(),
        limits,
        data: None,
        access: boussole::web::Access::Local,
        database: None,
    }
}

impl Client {
    /// A fresh server, reading XLS files through the boussole binary as
    /// `serve` does, opened through the link it prints.
    pub fn new() -> Client {
        Client::with(config(boussole::web::Limits::default()))
    }

    /// A fresh server set up with `config`, opened through its link.
    pub fn with(config: boussole::web::Config) -> Client {
        Client::stranger(config).entered()
    }

    /// This client once it opened the printed link, with the cookie it got.
    pub fn entered(self) -> Client {
        let client = self;
        let entered = client.get(&client.state.link());
        assert_eq!(entered.status, 303, "{}", entered.text());
        let cookie = entered.header("set-cookie");
        let pair = cookie.split(';').next().unwrap().to_string();
        Client {
            cookies: vec![pair],
            ..client
        }
    }

    /// Another browser on the same server: no cookie, no token.
    pub fn beside(&self) -> Client {
        Client {
            router: self.router.clone(),
            token: String::new(),
            state: self.state.clone(),
            host: self.host.clone(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            headers: Vec::new(),
            cookies: Vec::new(),
        }
    }

    /// This client once logged in as `name` with `password` on a shared
    /// server: the session's cookie, and the token its forms carry (read
    /// off the account's page, as a browser gets it).
    pub fn logged_in(self, name: &str, password: &str) -> Client {
        let answer = self.post_form(
            "/connexion",
            &[
                ("identifiant".into(), name.into()),
                ("mot_de_passe".into(), password.into()),
            ],
        );
        assert_eq!(answer.status, 303, "{}", answer.text());
        let cookie = answer.header("set-cookie");
        let pair = cookie.split(';').next().unwrap().to_string();
        let client = Client {
            cookies: vec![pair],
            ..self
        };
        let page = client.get("/compte").text();
        let token = client
            .form_values("/compte", "/deconnexion")
            .into_iter()
            .find(|(k, _)| k == boussole::web::TOKEN_FIELD)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no token on the account's page: {page}"));
        Client { token, ..client }
    }

    /// A fresh server set up with `config`, not opened: a client that never
    /// saw the printed link.
    pub fn stranger(config: boussole::web::Config) -> Client {
        let (router, state) = boussole::web::app(config).unwrap();
        Client {
            router,
            token: state.token().to_string(),
            state,
            host: HOST.to_string(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            headers: Vec::new(),
            cookies: Vec::new(),
        }
    }

    /// Sends `request` (with the `Host` header, the extra headers and the cookies).
    pub fn send(&self, mut request: Request<Body>) -> Answer {
        let headers = request.headers_mut();
        headers
            .entry(header::HOST)
            .or_insert(self.host.parse().unwrap());
        for (k, v) in &self.headers {
            headers.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        if !self.cookies.is_empty() {
            headers.insert(header::COOKIE, self.cookies.join("; ").parse().unwrap());
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

/// `boussole serve` on a real TCP port of 127.0.0.1, within `limits`,
/// until dropped.
pub struct Listening {
    pub addr: std::net::SocketAddr,
    /// The link it prints (path and query).
    pub link: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Listening {
    pub fn start(limits: boussole::web::Limits) -> Listening {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let mut setup = config(limits);
        setup.hosts = boussole::web::Config::hosts_for(addr, &[]);
        let (router, state) = boussole::web::app(setup).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(boussole::web::run(listener, router, limits, async {
                let _ = stopped.await;
            }));
        });
        Listening {
            addr,
            link: state.link(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// A new connection; reads give up after a minute, a bound no test
    /// should come near.
    pub fn connect(&self) -> std::net::TcpStream {
        let stream = std::net::TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
        stream
    }

    /// The request head for `method path`, with the `Host` header and `extra` lines.
    pub fn head(&self, method: &str, path: &str, extra: &[String]) -> String {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for line in extra {
            head.push_str(line);
            head.push_str("\r\n");
        }
        head + "\r\n"
    }

    /// The cookie line a browser sends once it opened the printed link.
    pub fn cookie(&self) -> String {
        use std::io::Write;
        let mut stream = self.connect();
        let close = ["Connection: close".to_string()];
        stream
            .write_all(self.head("GET", &self.link, &close).as_bytes())
            .unwrap();
        let answer = read_all(&mut stream);
        let set = answer
            .lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .expect("the link sets a cookie");
        format!("Cookie: {}", set.split(';').next().unwrap())
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Everything the server sends until it closes the connection (a reset
/// counts as a close).
pub fn read_all(stream: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server neither answered nor closed: {e}"),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}
