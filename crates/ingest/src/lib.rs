//! Ingest: the first stage. It checks what a client sent before anything is
//! stored — the bytes' real format ([`sniff`]), their content hash
//! ([`ContentHash`]), the size limits ([`Limits`]) and the metadata fields
//! ([`UploadRequest`], read from a multipart form by [`FormReader`]).
//!
//! The media type always comes from magic bytes; the file name and the
//! client's claimed type are kept only to be compared ([`type_mismatch`]).
#![deny(missing_docs)]

pub use crate::{
    form::{
        FileInfo, FilePart, FormError, FormPart, FormReader, METADATA_LIMIT, UploadForm, read_form,
    },
    hash::ContentHash,
    limits::Limits,
    request::{IngestError, UploadRequest},
    sniff::{TypeMismatch, sniff, type_mismatch},
};

mod form;
mod hash;
mod limits;
mod request;
mod sniff;
