//! Connections: how many at once, and how long each may take to say what
//! it wants. A connection over the cap is closed at once; one that sends
//! no complete request head in time (idle between requests included) is
//! closed; a request body still coming after its deadline is cut; an
//! answer the other end stops reading is given up.

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
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
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
    /// Time a write of the answer may wait for the other end to read: a
    /// connection that reads nothing that long is closed.
    pub write: Duration,
    /// Bytes of work kept in memory, for each kind of work (tenders,
    /// checked batches, opinions); the oldest go first.
    pub kept: usize,
}

impl Default for Limits {
    /// 64 connections (a browser opens about six), 20 seconds for a head,
    /// 5 minutes for a body (100 MiB at a slow 3 Mbit/s), a minute for the
    /// other end to read some of an answer, 256 MiB of each kind of work.
    fn default() -> Limits {
        Limits {
            connections: 64,
            head: Duration::from_secs(20),
            body: Duration::from_secs(300),
            write: Duration::from_secs(60),
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
                .serve_connection(TokioIo::new(Patient::new(stream, limits.write)), service)
                .await;
            drop(permit);
        });
    }
}

/// A stream whose writes fail once one has waited `within` for the other
/// end to read: a reader that stops holds its connection no longer.
struct Patient<S> {
    inner: S,
    within: Duration,
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> Patient<S> {
    fn new(inner: S, within: Duration) -> Patient<S> {
        Patient {
            inner,
            within,
            waiting: None,
        }
    }

    /// `poll` of the inner stream, given up after waiting too long.
    fn bounded<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: impl FnOnce(Pin<&mut S>, &mut Context<'_>) -> Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>>
    where
        S: Unpin,
    {
        if let Poll::Ready(done) = poll(Pin::new(&mut self.inner), cx) {
            self.waiting = None;
            return Poll::Ready(done);
        }
        let within = self.within;
        let waiting = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(within)));
        match waiting.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the other end stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Patient<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Patient<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.bounded(cx, |s, cx| s.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.bounded(cx, |s, cx| s.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.bounded(cx, |s, cx| s.poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.bounded(cx, |s, cx| s.poll_shutdown(cx))
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
