use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use time::{PrimitiveDateTime, UtcOffset, macros::format_description};

/// Flags photos whose EXIF capture time (`DateTimeOriginal`) is after the
/// upload: a clock set wrong, or a date edited by hand. Without a recorded
/// UTC offset the capture time could be in any zone, so only a date more
/// than 14 hours (the widest offset) ahead counts.
#[derive(Debug, Default)]
pub struct CaptureDate;

/// The widest UTC offset in use, in seconds.
const WIDEST_OFFSET_S: i64 = 14 * 3600;

#[async_trait]
impl Detector for CaptureDate {
    fn name(&self) -> &'static str {
        "capture_date"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(exif) = &art.metadata.exif else {
            return Ok(vec![]);
        };
        let Some(taken) = exif.date_time_original.as_deref().and_then(parse) else {
            return Ok(vec![]);
        };
        let offset = exif.offset_time_original.as_deref().and_then(parse_offset);
        // Seconds since the epoch if the wall time were UTC, then corrected.
        let local = taken.assume_utc().unix_timestamp();
        let (utc, slack) = match offset {
            Some(o) => (local - i64::from(o.whole_seconds()), 0),
            None => (local, WIDEST_OFFSET_S),
        };
        let uploaded = ctx.upload.created_at / 1000;
        let ahead = utc - uploaded;
        if ahead <= slack {
            return Ok(vec![]);
        }
        let message = format!(
            "The photo says it was taken at {} — {} after it was uploaded.",
            exif.date_time_original.as_deref().unwrap_or_default(),
            humanise(ahead)
        );
        Ok(vec![
            Finding::new(self.name(), codes::METADATA_DATE_IN_FUTURE, 0.6, message).with_evidence(
                serde_json::json!({
                    "date_time_original": exif.date_time_original,
                    "offset_time_original": exif.offset_time_original,
                    "uploaded_at_ms": ctx.upload.created_at,
                    "ahead_s": ahead,
                }),
            ),
        ])
    }
}

/// EXIF's `YYYY:MM:DD HH:MM:SS`.
fn parse(text: &str) -> Option<PrimitiveDateTime> {
    let format = format_description!("[year]:[month]:[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(text.trim(), format).ok()
}

/// EXIF's `±HH:MM`.
fn parse_offset(text: &str) -> Option<UtcOffset> {
    let format = format_description!("[offset_hour sign:mandatory]:[offset_minute]");
    UtcOffset::parse(text.trim(), format).ok()
}

fn humanise(seconds: i64) -> String {
    match seconds {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3600 => format!("{} hours", s / 3600),
        s => format!("{} minutes", s / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_dates_and_offsets_parse() {
        let t = parse("2008:10:22 16:28:39").unwrap();
        assert_eq!(t.assume_utc().unix_timestamp(), 1_224_692_919);
        assert!(
            parse("0000:00:00 00:00:00").is_none(),
            "blank dates are no date"
        );
        assert_eq!(parse_offset("+02:00").unwrap().whole_seconds(), 7200);
        assert_eq!(parse_offset("-05:30").unwrap().whole_seconds(), -19_800);
        assert_eq!(humanise(3 * 86_400 + 5), "3 days");
    }
}
