//! Videos: probe with `ffprobe` (duration, size, rotation, tags), then sample
//! frames with `ffmpeg` at the configured rate as PPM over a pipe.

use std::sync::Arc;

use bonafide_core::{Frame, VideoArtefact};
use image::RgbImage;
use serde_json::Value;
use tokio::process::Command;

use crate::{DecodeConfig, DecodeError};

pub(crate) async fn decode(
    bytes: &bytes::Bytes,
    cfg: &DecodeConfig,
) -> Result<VideoArtefact, DecodeError> {
    // MP4/MOV may keep their index at the end, so ffmpeg needs a seekable file.
    let file = tempfile::NamedTempFile::new().map_err(tool)?;
    tokio::fs::write(file.path(), bytes).await.map_err(tool)?;
    let probe = probe(file.path(), cfg).await?;
    if probe.duration_ms > cfg.limits.max_video_ms {
        return Err(DecodeError::TooLong(format!(
            "{:.1} s is over the {:.1} s limit",
            probe.duration_ms as f64 / 1000.0,
            cfg.limits.max_video_ms as f64 / 1000.0
        )));
    }
    crate::image::check_pixels(probe.width, probe.height, cfg.limits.max_pixels)?;
    let frames = sample(file.path(), cfg).await?;
    if frames.is_empty() {
        return Err(DecodeError::Corrupt("no frame could be decoded".into()));
    }
    Ok(VideoArtefact {
        duration_ms: probe.duration_ms,
        width: probe.width,
        height: probe.height,
        codec: probe.codec,
        tags: probe.tags,
        frames,
    })
}

struct Probe {
    duration_ms: u64,
    width: u32,
    height: u32,
    codec: String,
    tags: serde_json::Map<String, Value>,
}

async fn probe(path: &std::path::Path, cfg: &DecodeConfig) -> Result<Probe, DecodeError> {
    let mut cmd = Command::new(&cfg.ffprobe);
    cmd.args([
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
    ])
    .arg(path);
    let out = crate::tool::run(cmd, &cfg.ffprobe).await?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(DecodeError::Corrupt(format!(
            "probe failed: {}",
            first_line(&msg)
        )));
    }
    let json: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
    parse_probe(&json)
}

fn parse_probe(json: &Value) -> Result<Probe, DecodeError> {
    let streams = json["streams"].as_array().cloned().unwrap_or_default();
    let video = streams
        .iter()
        .find(|s| s["codec_type"] == "video" && s["disposition"]["attached_pic"] != 1)
        .ok_or_else(|| DecodeError::Unsupported("the file has no video stream".into()))?;
    let seconds = |v: &Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
    let duration = seconds(&json["format"]["duration"])
        .or_else(|| seconds(&video["duration"]))
        .ok_or_else(|| DecodeError::Corrupt("the video has no duration".into()))?;
    let (mut width, mut height) = (
        video["width"].as_u64().unwrap_or(0) as u32,
        video["height"].as_u64().unwrap_or(0) as u32,
    );
    if rotation(video).rem_euclid(180) == 90 {
        std::mem::swap(&mut width, &mut height);
    }
    Ok(Probe {
        duration_ms: (duration * 1000.0).round().max(0.0) as u64,
        width,
        height,
        codec: video["codec_name"].as_str().unwrap_or("unknown").to_owned(),
        tags: json["format"]["tags"]
            .as_object()
            .cloned()
            .unwrap_or_default(),
    })
}

/// Degrees of display rotation, from the display-matrix side data (modern
/// ffmpeg) or the legacy `rotate` tag.
fn rotation(stream: &Value) -> i64 {
    let from_side_data = stream["side_data_list"]
        .as_array()
        .and_then(|l| l.iter().find_map(|d| d["rotation"].as_i64()));
    let from_tag = stream["tags"]["rotate"]
        .as_str()
        .and_then(|s| s.parse().ok());
    from_side_data.or(from_tag).unwrap_or(0)
}

async fn sample(path: &std::path::Path, cfg: &DecodeConfig) -> Result<Vec<Frame>, DecodeError> {
    let side = cfg.frame_max_side;
    // The first frame at or after each sampling tick (0 s, 1 s, …), as
    // vPDQ takes every n-th frame; the `fps` filter would pick frames
    // nearest to half-ticks and shift every sample.
    let interval = 1.0 / f64::from(cfg.frames_per_second.max(0.001));
    let filter = format!(
        "select='gte(t,selected_n*{interval})',\
         scale=w='min({side},iw)':h='min({side},ih)':force_original_aspect_ratio=decrease"
    );
    let mut cmd = Command::new(&cfg.ffmpeg);
    cmd.args(["-v", "error", "-nostdin", "-i"])
        .arg(path)
        .args([
            "-an",
            "-sn",
            "-vf",
            &filter,
            "-fps_mode",
            "vfr",
            "-frames:v",
            &cfg.max_frames.to_string(),
        ])
        .args(["-f", "image2pipe", "-vcodec", "ppm", "-"]);
    let out = crate::tool::run(cmd, &cfg.ffmpeg).await?;
    let frames = parse_ppm_stream(&out.stdout);
    if frames.is_empty() && !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(DecodeError::Corrupt(format!(
            "frame decode failed: {}",
            first_line(&msg)
        )));
    }
    let step_ms = (1000.0 / cfg.frames_per_second.max(0.001)) as u64;
    Ok(frames
        .into_iter()
        .enumerate()
        .map(|(i, image)| Frame {
            at_ms: i as u64 * step_ms,
            image: Arc::new(image),
        })
        .collect())
}

/// Splits ffmpeg's `image2pipe` PPM (P6, maxval 255) output into frames.
/// A truncated last frame is dropped.
fn parse_ppm_stream(mut data: &[u8]) -> Vec<RgbImage> {
    let mut frames = Vec::new();
    while let Some((w, h, rest)) = ppm_header(data) {
        let len = w as usize * h as usize * 3;
        if rest.len() < len {
            break;
        }
        if let Some(img) = RgbImage::from_raw(w, h, rest[..len].to_vec()) {
            frames.push(img);
        }
        data = &rest[len..];
    }
    frames
}

/// Parses `P6 <w> <h> 255` and the single whitespace byte after it.
fn ppm_header(data: &[u8]) -> Option<(u32, u32, &[u8])> {
    let data = data.strip_prefix(b"P6")?;
    let mut fields = [0u32; 3];
    let mut pos = 0;
    for field in &mut fields {
        while data.get(pos)?.is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while data.get(pos)?.is_ascii_digit() {
            pos += 1;
        }
        *field = std::str::from_utf8(&data[start..pos]).ok()?.parse().ok()?;
    }
    let [w, h, maxval] = fields;
    (maxval == 255 && w > 0 && h > 0).then_some((w, h, &data[pos + 1..]))
}

fn tool(e: std::io::Error) -> DecodeError {
    DecodeError::Tool(e.to_string())
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("unknown error")
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_ppm_stream_and_drops_truncated_tail() {
        let mut data = b"P6\n2 1\n255\n".to_vec();
        data.extend_from_slice(&[1, 2, 3, 4, 5, 6]);
        data.extend_from_slice(b"P6\n1 1\n255\n");
        data.extend_from_slice(&[7, 8, 9]);
        data.extend_from_slice(b"P6\n4 4\n255\n\x01");
        let frames = parse_ppm_stream(&data);
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].get_pixel(0, 0).0, [7, 8, 9]);
    }

    #[test]
    fn rotation_swaps_display_size() {
        let json: Value = serde_json::json!({
            "format": {"duration": "2.5"},
            "streams": [{"codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
                         "side_data_list": [{"rotation": -90}]}]
        });
        let p = parse_probe(&json).unwrap();
        assert_eq!((p.width, p.height, p.duration_ms), (1080, 1920, 2500));
    }
}
