use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use time::{PrimitiveDateTime, UtcOffset, macros::format_description};

/// Checks a photo's EXIF dates: a capture time (`DateTimeOriginal`) after
/// the upload (a clock set wrong, or a date edited by hand), one before the
/// task's window (`captured_within_days`: old media sent for a "record
/// today" task), and dates that contradict each other — digitised at
/// another time than taken, or modified before taken — which is what
/// editing one date tag by hand leaves behind. Without a recorded UTC
/// offset the capture time could be in any zone, so comparisons with the
/// upload allow 14 hours (the widest offset).
#[derive(Debug, Default)]
pub struct CaptureDate;

/// The widest UTC offset in use, in seconds.
const WIDEST_OFFSET_S: i64 = 14 * 3600;

/// Cameras write all three date tags from one clock reading; a second or
/// so apart at most. More than this is an edit.
const DATES_AGREE_S: i64 = 60;

#[async_trait]
impl Detector for CaptureDate {
    fn name(&self) -> &'static str {
        "capture_date"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[
            codes::METADATA_CAPTURE_OUTSIDE_WINDOW,
            codes::METADATA_DATES_DISAGREE,
            codes::METADATA_DATE_IN_FUTURE,
        ]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(exif) = &art.metadata.exif else {
            return Ok(vec![]);
        };
        let evidence = serde_json::json!({
            "date_time_original": exif.date_time_original,
            "offset_time_original": exif.offset_time_original,
            "date_time_digitized": exif.date_time_digitized,
            "date_time": exif.date_time,
            "uploaded_at_ms": ctx.upload.created_at,
        });
        let mut out = Vec::new();
        let finding = |code: &str, score: f32, message: String, extra: serde_json::Value| {
            let mut evidence = evidence.clone();
            if let (Some(e), Some(x)) = (evidence.as_object_mut(), extra.as_object()) {
                e.extend(x.clone());
            }
            Finding::new(self.name(), code, score, message).with_evidence(evidence)
        };
        let taken_text = exif.date_time_original.as_deref().unwrap_or_default();
        if let Some(taken) = exif.date_time_original.as_deref().and_then(parse) {
            let offset = exif.offset_time_original.as_deref().and_then(parse_offset);
            // Seconds since the epoch if the wall time were UTC, then corrected.
            let local = taken.assume_utc().unix_timestamp();
            let (utc, slack) = match offset {
                Some(o) => (local - i64::from(o.whole_seconds()), 0),
                None => (local, WIDEST_OFFSET_S),
            };
            let uploaded = ctx.upload.created_at / 1000;
            let ahead = utc - uploaded;
            if ahead > slack {
                out.push(finding(
                    codes::METADATA_DATE_IN_FUTURE,
                    0.6,
                    format!(
                        "The photo says it was taken at {taken_text} — {} after it was uploaded.",
                        humanise(ahead)
                    ),
                    serde_json::json!({"ahead_s": ahead}),
                ));
            }
            let window = ctx.task.and_then(|t| t.requirements.captured_within_days);
            if let Some(days) = window {
                let age = uploaded - utc;
                if age > i64::from(days) * 86_400 + slack {
                    out.push(finding(
                        codes::METADATA_CAPTURE_OUTSIDE_WINDOW,
                        0.6,
                        format!(
                            "The photo says it was taken at {taken_text}, {} before upload; \
                             the task wants captures from the last {days} day(s).",
                            humanise(age)
                        ),
                        serde_json::json!({"age_s": age, "captured_within_days": days}),
                    ));
                }
            }
            let at = |t: &Option<String>| t.as_deref().and_then(parse);
            let digitised = at(&exif.date_time_digitized)
                .map(|d| (d.assume_utc().unix_timestamp() - local).abs())
                .filter(|&gap| gap > DATES_AGREE_S);
            let modified_before = at(&exif.date_time)
                .map(|m| local - m.assume_utc().unix_timestamp())
                .filter(|&gap| gap > DATES_AGREE_S);
            let why = digitised
                .map(|gap| format!("digitised {} apart from when it was taken", humanise(gap)))
                .or_else(|| {
                    modified_before
                        .map(|gap| format!("modified {} before it was taken", humanise(gap)))
                });
            if let Some(why) = why {
                out.push(finding(
                    codes::METADATA_DATES_DISAGREE,
                    0.5,
                    format!(
                        "The photo's own dates contradict each other: {why} (taken {taken_text})."
                    ),
                    serde_json::json!({}),
                ));
            }
        }
        Ok(out)
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
