//! The multipart upload form: a `file` part and a `metadata` JSON part, in
//! either order, read with `multer` under a size limit on the whole stream.
//! The HTTP handler and the fuzz target both call [`read_form`], so what is
//! fuzzed is what parses a client's upload.

use bytes::Bytes;
use futures_util::Stream;

use crate::{IngestError, UploadRequest};

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
    /// Not readable as multipart (no boundary, broken framing, bad headers).
    #[error("{0}")]
    Malformed(String),
    /// A part other than `file` and `metadata`.
    #[error("unexpected part {0:?}; send `file` and `metadata`")]
    StrayPart(String),
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
            multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
                Self::TooLarge
            }
            other => Self::Malformed(other.to_string()),
        }
    }
}

/// Reads a `multipart/form-data` body (`content_type` carries the
/// boundary) of at most `limit` bytes. Every part is read before an error
/// is returned: answering mid-upload would reset the connection and the
/// client would see a broken pipe instead of the error that says what to fix.
pub async fn read_form<S, E>(
    body: S,
    content_type: &str,
    limit: u64,
) -> Result<UploadForm, FormError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    let boundary = multer::parse_boundary(content_type)?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit));
    let mut mp = multer::Multipart::with_constraints(body, boundary, constraints);
    let mut meta: Option<Result<UploadRequest, IngestError>> = None;
    let mut file: Option<(Bytes, Option<String>, Option<String>)> = None;
    let mut stray: Option<String> = None;
    while let Some(field) = mp.next_field().await? {
        match field.name() {
            Some("metadata") => meta = Some(UploadRequest::from_json(&field.bytes().await?)),
            Some("file") => {
                let name = field.file_name().map(str::to_owned);
                let ty = field.content_type().map(|m| m.essence_str().to_owned());
                file = Some((field.bytes().await?, name, ty));
            }
            other => {
                stray = Some(other.unwrap_or_default().to_owned());
                field.bytes().await?;
            }
        }
    }
    if let Some(name) = stray {
        return Err(FormError::StrayPart(name));
    }
    let mut request = meta
        .ok_or(FormError::MissingMetadata)?
        .map_err(FormError::Metadata)?;
    let (bytes, name, ty) = file.ok_or(FormError::MissingFile)?;
    request.file_name = request.file_name.or(name);
    request.content_type = request
        .content_type
        .or(ty.filter(|t| t != "application/octet-stream"));
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
    }

    /// The reader needs no runtime: polling it to completion on this thread suffices.
    fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
        futures_util::FutureExt::now_or_never(f).expect("an in-memory body never waits")
    }
}
