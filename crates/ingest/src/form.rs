//! The multipart upload form: a `file` part and a `metadata` JSON part, in
//! either order, read with `multer` under a size limit on the whole stream.
//! [`FormReader`] hands out the parts as they arrive, the file as a stream,
//! so the HTTP handler can check the metadata (when it comes first) before
//! the file is read, and write the file out without holding it in memory.
//! [`read_form`] reads a whole form through it; the fuzz target calls that,
//! so what is fuzzed is what parses a client's upload.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::{IngestError, UploadRequest};

/// Most bytes the `metadata` part may hold: its fields are short.
pub const METADATA_LIMIT: u64 = 64 << 10;

/// An upload form read whole.
#[derive(Debug)]
pub struct UploadForm {
    /// The metadata, with the file part's name and type standing in for
    /// missing fields.
    pub request: UploadRequest,
    /// The file's bytes.
    pub bytes: Bytes,
}

/// Why a form was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// The body is over the limit.
    #[error("the request is over the upload size limit")]
    TooLarge,
    /// The `metadata` part is over [`METADATA_LIMIT`].
    #[error("the `metadata` part is over {METADATA_LIMIT} bytes")]
    MetadataTooLarge,
    /// Not readable as multipart (no boundary, broken framing, bad headers).
    #[error("{0}")]
    Malformed(String),
    /// The body stopped arriving (the client went away or stalled).
    #[error("the request body could not be read: {0}")]
    Interrupted(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A part other than `file` and `metadata`.
    #[error("unexpected part {0:?}; send `file` and `metadata`")]
    StrayPart(String),
    /// A second `file` or `metadata` part.
    #[error("the `{0}` part is sent twice; send one `file` and one `metadata`")]
    RepeatedPart(&'static str),
    /// No `file` part.
    #[error("the `file` part is missing")]
    MissingFile,
    /// No `metadata` part.
    #[error("the `metadata` part is missing")]
    MissingMetadata,
    /// The `metadata` part is not valid upload metadata.
    #[error(transparent)]
    Metadata(IngestError),
}

impl From<multer::Error> for FormError {
    fn from(e: multer::Error) -> Self {
        match e {
            multer::Error::StreamSizeExceeded { .. } => Self::TooLarge,
            multer::Error::FieldSizeExceeded { .. } => Self::MetadataTooLarge,
            multer::Error::StreamReadFailed(e) => Self::Interrupted(e),
            other => Self::Malformed(other.to_string()),
        }
    }
}

/// One part of the form, as it arrives.
#[derive(Debug)]
pub enum FormPart {
    /// The `metadata` part, parsed (not yet validated).
    Metadata(UploadRequest),
    /// The `file` part: read it to its end before asking for the next part.
    File(FilePart),
}

/// What the `file` part's headers say about the file.
#[derive(Debug, Clone, Default)]
pub struct FileInfo {
    /// Its `filename`.
    pub file_name: Option<String>,
    /// Its `Content-Type`, unless the generic `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FileInfo {
    /// Fills the metadata's missing name and type from the part's headers.
    pub fn fill(&self, request: &mut UploadRequest) {
        if request.file_name.is_none() {
            request.file_name.clone_from(&self.file_name);
        }
        if request.content_type.is_none() {
            request.content_type.clone_from(&self.content_type);
        }
    }
}

/// The `file` part's bytes, streamed as they arrive.
#[derive(Debug)]
pub struct FilePart {
    /// The part's headers.
    pub info: FileInfo,
    field: multer::Field<'static>,
}

impl Stream for FilePart {
    type Item = Result<Bytes, FormError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.field
            .poll_next_unpin(cx)
            .map(|c| c.map(|c| c.map_err(FormError::from)))
    }
}

/// Reads a `multipart/form-data` body part by part.
#[derive(Debug)]
pub struct FormReader {
    parts: multer::Multipart<'static>,
    seen_metadata: bool,
    seen_file: bool,
}

impl FormReader {
    /// A reader of `body`, a form whose `content_type` carries the
    /// boundary, of at most `limit` bytes in all.
    pub fn new<S, E>(body: S, content_type: &str, limit: u64) -> Result<Self, FormError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let boundary = multer::parse_boundary(content_type)?;
        let constraints = multer::Constraints::new().size_limit(
            multer::SizeLimit::new()
                .whole_stream(limit)
                .for_field("metadata", METADATA_LIMIT),
        );
        Ok(Self {
            parts: multer::Multipart::with_constraints(body, boundary, constraints),
            seen_metadata: false,
            seen_file: false,
        })
    }

    /// The next part, or `None` at the end of the form. A part other than
    /// `file` and `metadata`, or either of them twice, is an error.
    pub async fn next_part(&mut self) -> Result<Option<FormPart>, FormError> {
        let Some(field) = self.parts.next_field().await? else {
            return Ok(None);
        };
        match field.name() {
            Some("metadata") if !self.seen_metadata => {
                self.seen_metadata = true;
                let text = field.bytes().await?;
                let request = UploadRequest::from_json(&text).map_err(FormError::Metadata)?;
                Ok(Some(FormPart::Metadata(request)))
            }
            Some("file") if !self.seen_file => {
                self.seen_file = true;
                let info = FileInfo {
                    file_name: field.file_name().map(str::to_owned),
                    content_type: field
                        .content_type()
                        .map(|m| m.essence_str().to_owned())
                        .filter(|t| t != "application/octet-stream"),
                };
                Ok(Some(FormPart::File(FilePart { info, field })))
            }
            Some("metadata") => Err(FormError::RepeatedPart("metadata")),
            Some("file") => Err(FormError::RepeatedPart("file")),
            other => Err(FormError::StrayPart(other.unwrap_or_default().to_owned())),
        }
    }

    /// Reads and discards the rest of the body, up to `cap` more bytes,
    /// before a refusal is answered: answering mid-upload and closing would
    /// reset the connection, and the client would see a broken pipe instead
    /// of the error that says what to fix.
    pub async fn drain(mut self, cap: u64) {
        let mut read = 0u64;
        while let Ok(Some(mut field)) = self.parts.next_field().await {
            while let Some(Ok(chunk)) = field.next().await {
                read += chunk.len() as u64;
                if read > cap {
                    return;
                }
            }
        }
    }
}

/// Reads a whole `multipart/form-data` body (`content_type` carries the
/// boundary) of at most `limit` bytes into memory.
pub async fn read_form<S, E>(
    body: S,
    content_type: &str,
    limit: u64,
) -> Result<UploadForm, FormError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    let mut form = FormReader::new(body, content_type, limit)?;
    let mut request = None;
    let mut file = None;
    while let Some(part) = form.next_part().await? {
        match part {
            FormPart::Metadata(r) => request = Some(r),
            FormPart::File(mut part) => {
                let mut bytes = bytes::BytesMut::new();
                while let Some(chunk) = part.next().await {
                    bytes.extend_from_slice(&chunk?);
                }
                file = Some((part.info, bytes.freeze()));
            }
        }
    }
    let mut request = request.ok_or(FormError::MissingMetadata)?;
    let (info, bytes) = file.ok_or(FormError::MissingFile)?;
    info.fill(&mut request);
    Ok(UploadForm { request, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = "multipart/form-data; boundary=XX";

    async fn read(body: &'static str, limit: u64) -> Result<UploadForm, FormError> {
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(body))]);
        read_form(stream, CT, limit).await
    }

    #[test]
    fn reads_both_parts_in_either_order() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\
                    Content-Type: image/jpeg\r\n\r\nJPEGBYTES\r\n--XX\r\n\
                    Content-Disposition: form-data; name=\"metadata\"\r\n\r\n\
                    {\"contributor_id\":\"c1\"}\r\n--XX--\r\n";
        let form = futures_executor_block_on(read(body, 1 << 20)).unwrap();
        assert_eq!(&form.bytes[..], b"JPEGBYTES");
        assert_eq!(form.request.contributor_id, "c1");
        assert_eq!(form.request.file_name.as_deref(), Some("a.jpg"));
        assert_eq!(form.request.content_type.as_deref(), Some("image/jpeg"));
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let no_file = "--XX\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\
                       {\"contributor_id\":\"c1\"}\r\n--XX--\r\n";
        assert!(matches!(
            futures_executor_block_on(read(no_file, 1 << 20)),
            Err(FormError::MissingFile)
        ));
        assert!(matches!(
            futures_executor_block_on(read(no_file, 10)),
            Err(FormError::TooLarge)
        ));
        let stray = "--XX\r\nContent-Disposition: form-data; name=\"extra\"\r\n\r\nx\r\n--XX--\r\n";
        assert!(matches!(
            futures_executor_block_on(read(stray, 1 << 20)),
            Err(FormError::StrayPart(name)) if name == "extra"
        ));
        assert!(matches!(
            futures_executor_block_on(read("garbage", 1 << 20)),
            Err(FormError::Malformed(_))
        ));
        let twice = "--XX\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\na\r\n--XX\r\n\
                     Content-Disposition: form-data; name=\"file\"\r\n\r\nb\r\n--XX--\r\n";
        assert!(matches!(
            futures_executor_block_on(read(twice, 1 << 20)),
            Err(FormError::RepeatedPart("file"))
        ));
        let big = format!(
            "--XX\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\
             {{\"contributor_id\":\"{}\"}}\r\n--XX--\r\n",
            "c".repeat(METADATA_LIMIT as usize)
        );
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(big))]);
        assert!(matches!(
            futures_executor_block_on(read_form(stream, CT, 1 << 20)),
            Err(FormError::MetadataTooLarge)
        ));
    }

    #[test]
    fn metadata_sent_first_is_read_before_the_file() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\
                    {\"contributor_id\":\"c1\"}\r\n--XX\r\n\
                    Content-Disposition: form-data; name=\"file\"\r\n\r\nBYTES\r\n--XX--\r\n";
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(body))]);
        let mut form = FormReader::new(stream, CT, 1 << 20).unwrap();
        let first = futures_executor_block_on(form.next_part()).unwrap();
        assert!(matches!(first, Some(FormPart::Metadata(r)) if r.contributor_id == "c1"));
        let Some(FormPart::File(mut file)) = futures_executor_block_on(form.next_part()).unwrap()
        else {
            panic!("the file part follows");
        };
        let chunk = futures_executor_block_on(file.next()).unwrap().unwrap();
        assert_eq!(&chunk[..], b"BYTES");
        drop(file);
        assert!(
            futures_executor_block_on(form.next_part())
                .unwrap()
                .is_none()
        );
    }

    /// The reader needs no runtime: polling it to completion on this thread suffices.
    fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
        futures_util::FutureExt::now_or_never(f).expect("an in-memory body never waits")
    }
}
