use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, Finding, FrameHash, MediaKind, TimelineMatch,
    VideoFingerprints, VideoMatch, codes,
};
use bonafide_pdq::{
    MATCH_DISTANCE, MIN_QUALITY, hash_image,
    tmk::{self, TmkBuilder},
};
use serde_json::json;

use crate::duplicate::{NearMatchOf, near_duplicate};

/// Flags videos that are copies of an earlier upload — re-encoded,
/// recoloured, letterboxed, trimmed, or a clip cut from a longer video — by
/// PDQ-hashing the sampled frames and matching them vPDQ-style: a video
/// matches when at least [`MIN_SHARE`] of either side's distinct frames find
/// a frame within distance 31 on the other. Failing that, Meta's whole-video
/// TMK hash catches another take or cut of the same footage, where no
/// single frame is a copy; such a match goes to a person.
#[derive(Debug, Default)]
pub struct VideoNearDuplicate;

/// Share of distinct frames that must match (upstream vPDQ uses 80 %).
pub const MIN_SHARE: f32 = 0.8;

#[async_trait]
impl Detector for VideoNearDuplicate {
    fn name(&self) -> &'static str {
        "video_near_duplicate"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Video
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::DUPLICATE_NEAR]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(video) = &art.video else {
            return Ok(vec![]);
        };
        // The frames' hashes were computed once, by the engine; the
        // whole-video TMK hash is this detector's own.
        let timeline = video.timeline.clone();
        let tmk = tokio::task::spawn_blocking(move || {
            let mut builder = TmkBuilder::default();
            timeline.iter().for_each(|f| builder.push(f));
            builder.finish().to_bytes()
        })
        .await
        .map_err(|e| DetectorError::Other(format!("TMK hashing failed: {e}")))?;
        let fingerprints = VideoFingerprints {
            frames: &art.frame_hashes,
            tmk: &tmk,
        };
        let matches = ctx
            .near
            .add_and_match_video(
                ctx.upload,
                &fingerprints,
                MATCH_DISTANCE,
                MIN_QUALITY,
                MIN_SHARE,
            )
            .await?;
        if let Some(best) = matches.frames.first() {
            return Ok(vec![finding(self.name(), ctx, best, &matches.frames)]);
        }
        Ok(matches
            .timelines
            .first()
            .map(|best| timeline_finding(self.name(), ctx, best, &matches.timelines))
            .into_iter()
            .collect())
    }
}

/// PDQ of every sampled frame and its neighbours, inside the video's
/// letterbox or pillarbox bars, dropping a frame identical to the one
/// before (static shots add no evidence).
pub fn frame_hashes(frames: &[bonafide_core::Frame]) -> Vec<FrameHash> {
    let (x, y, w, h) = content_box(frames);
    let pdq =
        |img: &image::RgbImage| hash_image(&image::imageops::crop_imm(img, x, y, w, h).to_image());
    let mut out: Vec<FrameHash> = Vec::with_capacity(frames.len());
    for frame in frames {
        let sample = pdq(&frame.image);
        let hash = sample.hash.to_bytes();
        if out.last().is_some_and(|prev| prev.hash == hash) {
            continue;
        }
        out.push(FrameHash {
            at_ms: frame.at_ms,
            hash,
            quality: sample.quality,
            neighbours: frame
                .neighbours
                .iter()
                .map(|n| pdq(n).hash.to_bytes())
                .filter(|n| *n != hash)
                .collect(),
        });
    }
    out
}

fn finding(detector: &str, ctx: &Context<'_>, best: &VideoMatch, all: &[VideoMatch]) -> Finding {
    let pct = |s: f32| (s * 100.0).round() as u32;
    let describe = |who: &str| {
        format!(
            "Video matches upload {} from {who}: {}% of its frames appear there, and {}% of that video's frames appear here.",
            best.upload_id,
            pct(best.query_share),
            pct(best.target_share)
        )
    };
    // Mostly made of someone else's video is the strong case; containing an
    // earlier video plus more of its own, a person looks.
    near_duplicate(detector, ctx, NearMatchOf {
        code: codes::DUPLICATE_NEAR,
        upload_id: &best.upload_id,
        contributor_id: &best.contributor_id,
        strong: best.query_share >= MIN_SHARE,
        describe: &describe,
        detail: json!({
            "media": "video",
            "method": "frames",
            "query_share": best.query_share,
            "target_share": best.target_share,
            "threshold": MATCH_DISTANCE,
        }),
        match_count: all.len(),
        matches: all
            .iter()
            .take(10)
            .map(|m| json!({"upload_id": m.upload_id, "query_share": m.query_share, "target_share": m.target_share}))
            .collect(),
    })
}

fn timeline_finding(
    detector: &str,
    ctx: &Context<'_>,
    best: &TimelineMatch,
    all: &[TimelineMatch],
) -> Finding {
    let describe = |who: &str| {
        format!(
            "Video matches upload {} from {who} as a whole (TMK score {:.2}): the same footage in the same order, though no single frame is a copy — another take or a heavily altered copy.",
            best.upload_id, best.level2
        )
    };
    // Another take of the same scene is suspicious but not proof: a person looks.
    near_duplicate(
        detector,
        ctx,
        NearMatchOf {
            code: codes::DUPLICATE_NEAR,
            upload_id: &best.upload_id,
            contributor_id: &best.contributor_id,
            strong: false,
            describe: &describe,
            detail: json!({
                "media": "video",
                "method": "tmk",
                "level1": best.level1,
                "level2": best.level2,
                "threshold": tmk::LEVEL2_THRESHOLD,
            }),
            match_count: all.len(),
            matches: all
                .iter()
                .take(10)
                .map(|m| json!({"upload_id": m.upload_id, "level1": m.level1, "level2": m.level2}))
                .collect(),
        },
    )
}

/// A row or column is bar if it is this dark in every sampled frame.
const BAR_MEAN: f32 = 24.0;
const BAR_MAX: u8 = 64;

/// The part of the picture inside black bars that every frame shares
/// (`x, y, width, height`): adding or removing letterboxing must not change
/// the hashes. The whole frame when there are no bars, or when cropping
/// would leave less than a third of it (a dark video, not bars).
pub fn content_box(frames: &[bonafide_core::Frame]) -> (u32, u32, u32, u32) {
    let Some(first) = frames.first() else {
        return (0, 0, 0, 0);
    };
    let (w, h) = first.image.dimensions();
    if frames.iter().any(|f| f.image.dimensions() != (w, h)) {
        return (0, 0, w, h);
    }
    let luma = |p: &image::Rgb<u8>| {
        ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
    };
    let dark = |pixels: &mut dyn Iterator<Item = u8>| {
        let (mut sum, mut n, mut max) = (0u32, 0u32, 0u8);
        for v in pixels {
            sum += u32::from(v);
            n += 1;
            max = max.max(v);
        }
        n > 0 && (sum as f32 / n as f32) < BAR_MEAN && max < BAR_MAX
    };
    let row_dark = |y: u32| {
        frames
            .iter()
            .all(|f| dark(&mut (0..w).map(|x| luma(f.image.get_pixel(x, y)))))
    };
    let col_dark = |x: u32| {
        frames
            .iter()
            .all(|f| dark(&mut (0..h).map(|y| luma(f.image.get_pixel(x, y)))))
    };
    let top = (0..h).take_while(|&y| row_dark(y)).count() as u32;
    let bottom = (0..h)
        .rev()
        .take_while(|&y| y >= top && row_dark(y))
        .count() as u32;
    let left = (0..w).take_while(|&x| col_dark(x)).count() as u32;
    let right = (0..w)
        .rev()
        .take_while(|&x| x >= left && col_dark(x))
        .count() as u32;
    let (cw, ch) = (
        w.saturating_sub(left + right),
        h.saturating_sub(top + bottom),
    );
    if u64::from(cw) * u64::from(ch) * 3 < u64::from(w) * u64::from(h) {
        return (0, 0, w, h);
    }
    (left, top, cw, ch)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bonafide_core::Frame;
    use image::{Rgb, RgbImage};

    use super::*;

    fn frame(img: RgbImage) -> Frame {
        Frame {
            at_ms: 0,
            image: Arc::new(img),
            neighbours: vec![],
        }
    }

    /// A textured picture, optionally with black bars left and right.
    fn picture(bars: u32) -> RgbImage {
        RgbImage::from_fn(160 + 2 * bars, 90, |x, y| {
            if x < bars || x >= 160 + bars {
                Rgb([3, 3, 3])
            } else {
                let v = ((x - bars) * 7 + y * 13) % 200 + 40;
                Rgb([v as u8, (v / 2) as u8, 255 - v as u8])
            }
        })
    }

    #[test]
    fn pillarbox_bars_are_cropped_and_hashes_agree() {
        let boxed = [frame(picture(40))];
        assert_eq!(content_box(&boxed), (40, 0, 160, 90));
        let plain = [frame(picture(0))];
        assert_eq!(content_box(&plain), (0, 0, 160, 90));
        let (a, b) = (frame_hashes(&boxed), frame_hashes(&plain));
        assert_eq!(a[0].hash, b[0].hash, "bars must not change the hash");
    }

    #[test]
    fn a_dark_video_is_not_cropped_away() {
        let night = [frame(RgbImage::from_pixel(64, 64, Rgb([5, 5, 5])))];
        assert_eq!(content_box(&night), (0, 0, 64, 64));
    }

    #[test]
    fn identical_consecutive_frames_are_dropped() {
        let frames = [frame(picture(0)), frame(picture(0)), frame(picture(10))];
        assert_eq!(frame_hashes(&frames).len(), 2);
    }
}
