use std::net::IpAddr;

use serde::Deserialize;

/// Why an upload was refused before it was stored. Each maps to a 4xx.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum IngestError {
    /// The file has no bytes.
    #[error("the file is empty")]
    Empty,
    /// The file is over [`crate::Limits::max_bytes`].
    #[error("the file is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// Bytes received.
        size: u64,
        /// The configured limit.
        limit: u64,
    },
    /// A metadata field is missing or malformed.
    #[error("invalid field `{field}`: {reason}")]
    InvalidField {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The metadata is not the expected JSON object.
    #[error("invalid metadata: {0}")]
    InvalidMetadata(String),
}

impl IngestError {
    /// Stable error code for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::TooLarge { .. } => "file_too_large",
            Self::InvalidField { .. } => "invalid_field",
            Self::InvalidMetadata(_) => "invalid_metadata",
        }
    }
}

/// The metadata a client sends with each file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// The contributor's id in the client app. Required.
    pub contributor_id: String,
    /// The contributor's name as the app knows it (compared with the author
    /// or copyright holder a file names).
    #[serde(default)]
    pub contributor_name: Option<String>,
    /// The device id the app reported.
    #[serde(default)]
    pub device_id: Option<String>,
    /// The device's maker as its OS reports it (Android `Build.MANUFACTURER`,
    /// `Apple` on iOS): checked against the camera the file names.
    #[serde(default)]
    #[schema(example = "samsung")]
    pub device_make: Option<String>,
    /// The device's model as its OS reports it (Android `Build.MODEL`, the
    /// iOS model name as the camera writes it into EXIF).
    #[serde(default)]
    #[schema(example = "SM-S911B")]
    pub device_model: Option<String>,
    /// The contributor's IP address.
    #[serde(default)]
    pub client_ip: Option<String>,
    /// The account the contributor is paid into (IBAN, PayPal address, …).
    /// Only its hash is kept: accounts paid by several contributors link
    /// them in the fraud graph.
    #[serde(default)]
    pub payout_account: Option<String>,
    /// The task this answers.
    #[serde(default)]
    pub task_id: Option<String>,
    /// Declared capture time, RFC 3339.
    #[serde(default)]
    #[schema(example = "2026-11-25T09:30:00Z")]
    pub captured_at: Option<String>,
    /// The original file name (multipart: defaults to the part's file name).
    #[serde(default)]
    pub file_name: Option<String>,
    /// The content type the client claims (multipart: defaults to the part's type).
    #[serde(default)]
    pub content_type: Option<String>,
}

impl UploadRequest {
    /// Parses the JSON metadata part of an upload.
    pub fn from_json(text: &[u8]) -> Result<Self, IngestError> {
        serde_json::from_slice(text).map_err(|e| IngestError::InvalidMetadata(e.to_string()))
    }

    /// Checks every field; returns the capture time in Unix ms if given.
    pub fn validate(&self) -> Result<Option<i64>, IngestError> {
        check_id("contributor_id", Some(&self.contributor_id), true)?;
        check_id("device_id", self.device_id.as_ref(), false)?;
        check_id("task_id", self.task_id.as_ref(), false)?;
        for (field, value, max) in [
            ("device_make", &self.device_make, 100),
            ("device_model", &self.device_model, 100),
            ("payout_account", &self.payout_account, 200),
            ("contributor_name", &self.contributor_name, 200),
            ("content_type", &self.content_type, 255),
        ] {
            if let Some(v) = value
                && (v.trim().is_empty() || v.len() > max || v.chars().any(char::is_control))
            {
                return Err(IngestError::InvalidField {
                    field,
                    reason: format!("must be 1-{max} bytes without control characters"),
                });
            }
        }
        if let Some(ip) = &self.client_ip {
            ip.parse::<IpAddr>()
                .map_err(|_| IngestError::InvalidField {
                    field: "client_ip",
                    reason: format!("{ip:?} is not an IP address"),
                })?;
        }
        if let Some(name) = &self.file_name
            && (name.len() > 255 || name.chars().any(char::is_control))
        {
            return Err(IngestError::InvalidField {
                field: "file_name",
                reason: "must be at most 255 bytes without control characters".into(),
            });
        }
        match &self.captured_at {
            None => Ok(None),
            Some(t) => {
                let at =
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                        .map_err(|e| IngestError::InvalidField {
                            field: "captured_at",
                            reason: format!("not an RFC 3339 time: {e}"),
                        })?;
                Ok(Some((at.unix_timestamp_nanos() / 1_000_000) as i64))
            }
        }
    }
}

/// Ids are opaque to us but must be short, printable and non-empty, since
/// they end up in URLs, logs and the review UI.
fn check_id(
    field: &'static str,
    value: Option<&String>,
    required: bool,
) -> Result<(), IngestError> {
    let Some(v) = value else {
        return if required {
            Err(IngestError::InvalidField {
                field,
                reason: "is required".into(),
            })
        } else {
            Ok(())
        };
    };
    let ok = !v.is_empty()
        && v.len() <= 128
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:@".contains(c));
    if ok {
        Ok(())
    } else {
        Err(IngestError::InvalidField {
            field,
            reason: "must be 1-128 characters of A-Z a-z 0-9 - _ . : @".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_fields() {
        let ok = UploadRequest::from_json(
            br#"{"contributor_id":"c1","client_ip":"10.0.0.1","captured_at":"2026-01-02T03:04:05Z"}"#,
        )
        .unwrap();
        assert_eq!(ok.validate().unwrap(), Some(1_767_323_045_000));
        let missing = UploadRequest::from_json(br#"{"device_id":"d"}"#).unwrap_err();
        assert_eq!(missing.code(), "invalid_metadata");
        let bad_ip = UploadRequest {
            contributor_id: "c".into(),
            client_ip: Some("nope".into()),
            ..Default::default()
        };
        assert!(matches!(
            bad_ip.validate(),
            Err(IngestError::InvalidField {
                field: "client_ip",
                ..
            })
        ));
        for (field, request) in [
            (
                "payout_account",
                UploadRequest {
                    contributor_id: "c".into(),
                    payout_account: Some("  ".into()),
                    ..Default::default()
                },
            ),
            (
                "contributor_name",
                UploadRequest {
                    contributor_id: "c".into(),
                    contributor_name: Some("a\nb".into()),
                    ..Default::default()
                },
            ),
        ] {
            assert!(
                matches!(request.validate(), Err(IngestError::InvalidField { field: f, .. }) if f == field),
                "{field}"
            );
        }
        let bad_id = UploadRequest {
            contributor_id: "a b".into(),
            ..Default::default()
        };
        assert!(bad_id.validate().is_err());
        let unknown = UploadRequest::from_json(br#"{"contributor_id":"c","colour":"red"}"#);
        assert!(unknown.is_err());
    }
}
