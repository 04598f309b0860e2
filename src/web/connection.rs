//! Connections: how many at once, and how long each may take to say what
//! it wants. A connection over the cap is closed at once; one that sends
//! no complete request head in time (idle between requests included) is
//! closed; a request body still coming after its deadline is cut.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// What one server allows.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once; more are closed as soon as accepted.
    pub connections: usize,
    /// Time to send a request's head, counted from the connection's opening
    /// or the previous answer: a connection idle that long is closed.
    pub head: Duration,
    /// Time to send a request's body, counted from its head.
    pub body: Duration,
    /// Bytes of work kept in memory, for each kind of work (tenders,
    /// checked batches, opinions); the oldest go first.
    pub kept: usize,
}

impl Default for Limits {
    /// 64 connections (a browser opens about six), 20 seconds for a head,
    /// 5 minutes for a body (100 MiB at a slow 3 Mbit/s), 256 MiB of each kind of work.
    fn default() -> Limits {
        Limits {
            connections: 64,
            head: Duration::from_secs(20),
            body: Duration::from_secs(300),
            kept: 256 * 1024 * 1024,
        }
    }
}

/// Serves `router` on `listener` within `limits` until `stop` resolves.
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.connections.max(1)));
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait for connections to close.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.head)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// A request body that fails once its deadline has passed.
pub struct Deadline {
    inner: Body,
    until: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    /// `body`, to be read within `within`.
    pub fn wrap(body: Body, within: Duration) -> Body {
        Body::new(Deadline {
            inner: body,
            until: Box::pin(tokio::time::sleep(within)),
        })
    }
}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        match self.until.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(
                "the request's body did not arrive in time",
            )))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
