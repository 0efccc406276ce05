//! A round as one ZIP, streamed: a blocking task renders kit after kit into a `zip` stream
//! writer whose bytes flow through a bounded channel into the response body, so memory
//! holds one kit at a time however large the round.

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::Result;
use crate::output::Document;

use super::store::KitEntry;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 << 10;

/// Sends what is written to it as body chunks; blocks when the client reads slowly.
struct ChannelWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<std::io::Result<Bytes>>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.sender.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// One ZIP entry's options: a fixed date (same kits, same bytes), PDFs stored as they are
/// (already compressed), everything else deflated.
fn options(name: &str) -> SimpleFileOptions {
    let method = if name.ends_with(".pdf") {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

/// Streams a ZIP named `file_name`: `extra` files at the top of folder `root`, then for each
/// kit the documents `documents_of` renders, under `root/<kit folder>/`.
pub fn stream<F>(
    file_name: String,
    root: String,
    extra: Vec<Document>,
    kits: Vec<KitEntry>,
    documents_of: F,
) -> Response
where
    F: Fn(&KitEntry) -> Result<Vec<Document>> + Send + 'static,
{
    let (sender, mut receiver) = mpsc::channel::<std::io::Result<Bytes>>(4);
    let error_sender = sender.clone();
    tokio::task::spawn_blocking(move || {
        let write = || -> std::result::Result<(), String> {
            let mut zip = ZipWriter::new_stream(ChannelWriter {
                buffer: Vec::with_capacity(CHUNK),
                sender,
            });
            let mut add = |path: String, bytes: &[u8]| -> std::result::Result<(), String> {
                zip.start_file(path.as_str(), options(&path))
                    .map_err(|e| e.to_string())?;
                zip.write_all(bytes).map_err(|e| e.to_string())
            };
            for doc in &extra {
                add(format!("{root}/{}", doc.name), &doc.bytes)?;
            }
            for kit in &kits {
                for doc in documents_of(kit).map_err(|e| e.to_string())? {
                    add(
                        format!("{root}/{}/{}", kit.info.folder, doc.name),
                        &doc.bytes,
                    )?;
                }
            }
            let mut inner = zip.finish().map_err(|e| e.to_string())?.into_inner();
            inner.flush().map_err(|e| e.to_string())
        };
        if let Err(message) = write() {
            // The client sees a cut-off download rather than a valid-looking partial ZIP.
            let _ = error_sender.blocking_send(Err(std::io::Error::other(message)));
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
