//! EXIF, through `kamadak-exif`: the fields people and detectors use,
//! typed, from JPEG, TIFF, HEIF, PNG and WebP containers.

use std::io::Cursor;

use exif::{Field, In, Reader, Tag, Value};
use serde::Serialize;

use crate::MetadataError;

/// The EXIF fields Bonafide reads. Text fields are trimmed; absent fields
/// are `None` (and left out of JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Exif {
    /// Camera maker (`Make`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    /// Camera model (`Model`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Lens (`LensModel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    /// Software that wrote the file (`Software`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    /// The photographer (`Artist`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artist: Option<String>,
    /// The copyright notice (`Copyright`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// 1–8 (`Orientation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u16>,
    /// When the picture was taken (`DateTimeOriginal`, `YYYY:MM:DD HH:MM:SS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_time_original: Option<String>,
    /// Its UTC offset (`OffsetTimeOriginal`, `±HH:MM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset_time_original: Option<String>,
    /// When it was digitised (`DateTimeDigitized`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_time_digitized: Option<String>,
    /// When the file was last changed (`DateTime`, a.k.a. ModifyDate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_time: Option<String>,
    /// Its UTC offset (`OffsetTime`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset_time: Option<String>,
    /// Where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<Gps>,
    /// Exposure time in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure_time_s: Option<f64>,
    /// Aperture (f-number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f_number: Option<f64>,
    /// ISO speed (`PhotographicSensitivity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<u32>,
    /// Whether the file carries an EXIF thumbnail.
    pub has_thumbnail: bool,
    /// The thumbnail's bytes (a small JPEG), when present and in bounds.
    #[serde(skip)]
    pub thumbnail: Option<Vec<u8>>,
    /// Fields that could not be parsed (the rest was read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A GPS position in signed decimal degrees (south and west negative).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gps {
    /// Latitude.
    pub latitude: f64,
    /// Longitude.
    pub longitude: f64,
    /// Metres above sea level (negative below).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude_m: Option<f64>,
}

/// Reads the EXIF block of an image file: `Ok(None)` when there is none,
/// an error when it is there but unreadable. A block with some broken
/// fields is read as far as it goes, the rest listed in `warnings`.
pub fn read_exif(bytes: &[u8]) -> Result<Option<Exif>, MetadataError> {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let read = match webp_exif_after_header(bytes) {
        // Some writers (ComfyUI's animated WebP among them) keep JPEG's
        // `Exif\0\0` header in the WebP chunk, which the reader refuses.
        Some(tiff) => reader.read_raw(tiff.to_vec()),
        None => reader.read_from_container(&mut Cursor::new(bytes)),
    };
    let (exif, errors) = match read {
        Ok(exif) => (exif, Vec::new()),
        Err(exif::Error::NotFound(_) | exif::Error::BlankValue(_)) => return Ok(None),
        // A container EXIF does not live in (MP4, PDF): nothing to read.
        Err(exif::Error::InvalidFormat("Unknown image format")) => return Ok(None),
        Err(exif::Error::PartialResult(partial)) => partial.into_inner(),
        Err(e) => return Err(MetadataError::Exif(e.to_string())),
    };
    let text = |tag| exif.get_field(tag, In::PRIMARY).and_then(ascii);
    let number = |tag| exif.get_field(tag, In::PRIMARY).and_then(rational);
    Ok(Some(Exif {
        make: text(Tag::Make),
        model: text(Tag::Model),
        lens: text(Tag::LensModel),
        software: text(Tag::Software),
        artist: text(Tag::Artist),
        copyright: text(Tag::Copyright),
        orientation: exif
            .get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|v| u16::try_from(v).ok()),
        date_time_original: text(Tag::DateTimeOriginal),
        offset_time_original: text(Tag::OffsetTimeOriginal),
        date_time_digitized: text(Tag::DateTimeDigitized),
        date_time: text(Tag::DateTime),
        offset_time: text(Tag::OffsetTime),
        gps: gps(&exif),
        exposure_time_s: number(Tag::ExposureTime),
        f_number: number(Tag::FNumber),
        iso: exif
            .get_field(Tag::PhotographicSensitivity, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0)),
        has_thumbnail: exif
            .get_field(Tag::JPEGInterchangeFormat, In::THUMBNAIL)
            .is_some(),
        thumbnail: thumbnail(&exif),
        warnings: errors.iter().map(ToString::to_string).collect(),
    }))
}

/// The TIFF data of a WebP `EXIF` chunk that starts with JPEG's
/// `Exif\0\0` header; `None` for anything else (read normally).
fn webp_exif_after_header(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let mut rest = bytes.get(12..)?;
    while rest.len() >= 8 {
        let len = u32::from_le_bytes(rest[4..8].try_into().ok()?) as usize;
        let data = rest.get(8..8usize.checked_add(len)?)?;
        if &rest[..4] == b"EXIF" {
            return data.strip_prefix(b"Exif\0\0");
        }
        // Chunks are padded to an even length.
        rest = rest.get(8 + len + (len & 1)..)?;
    }
    None
}

/// The IFD1 JPEG thumbnail: offset and length are relative to the TIFF
/// header, which starts the buffer `kamadak-exif` keeps.
fn thumbnail(exif: &exif::Exif) -> Option<Vec<u8>> {
    let at = |tag| {
        exif.get_field(tag, In::THUMBNAIL)
            .and_then(|f| f.value.get_uint(0))
            .map(|v| v as usize)
    };
    let (offset, len) = (
        at(Tag::JPEGInterchangeFormat)?,
        at(Tag::JPEGInterchangeFormatLength)?,
    );
    exif.buf()
        .get(offset..offset.checked_add(len)?)
        .filter(|b| b.starts_with(&[0xFF, 0xD8]))
        .map(<[u8]>::to_vec)
}

/// The first string of an ASCII field, trimmed of padding; `None` if empty.
fn ascii(field: &Field) -> Option<String> {
    let Value::Ascii(ref parts) = field.value else {
        return None;
    };
    let text = String::from_utf8_lossy(parts.first()?);
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!text.is_empty()).then(|| text.to_owned())
}

/// The first value of a rational field as a float (none for 0/0).
fn rational(field: &Field) -> Option<f64> {
    match field.value {
        Value::Rational(ref v) => v.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
        Value::SRational(ref v) => v.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
        _ => None,
    }
}

fn gps(exif: &exif::Exif) -> Option<Gps> {
    let degrees = |tag, reference, negative: &str| {
        // Some phones write signed rationals where the standard says unsigned.
        let dms: Vec<f64> = match exif.get_field(tag, In::PRIMARY)?.value {
            Value::Rational(ref v) if v.iter().all(|r| r.denom != 0) => {
                v.iter().map(|r| r.to_f64()).collect()
            }
            Value::SRational(ref v) if v.iter().all(|r| r.denom != 0) => {
                v.iter().map(|r| r.to_f64()).collect()
            }
            _ => return None,
        };
        if dms.len() < 3 {
            return None;
        }
        let value = dms[0] + dms[1] / 60.0 + dms[2] / 3600.0;
        let sign = match exif.get_field(reference, In::PRIMARY).and_then(ascii) {
            Some(r) if r.eq_ignore_ascii_case(negative) => -1.0,
            _ => 1.0,
        };
        Some(sign * value)
    };
    let latitude = degrees(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S")?;
    let longitude = degrees(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W")?;
    let below_sea = exif
        .get_field(Tag::GPSAltitudeRef, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        == Some(1);
    let altitude_m = exif
        .get_field(Tag::GPSAltitude, In::PRIMARY)
        .and_then(rational)
        .map(|a| if below_sea { -a } else { a });
    Some(Gps {
        latitude,
        longitude,
        altitude_m,
    })
}
