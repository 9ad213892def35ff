//! Videos: probe with `ffprobe` (duration, size, rotation, tags), then sample
//! frames with `ffmpeg` at the configured rate as PPM over a pipe, and, in a
//! second `ffmpeg` run alongside, the whole video at TMK's 15 fps and 64×64
//! reduced to PDQ float features frame by frame (the timeline).

use std::sync::Arc;

use bonafide_core::{Frame, MediaType, VideoArtefact};
use image::RgbImage;
use serde_json::Value;
use tokio::process::Command;

use crate::{DecodeConfig, DecodeError};

pub(crate) async fn decode(
    bytes: &bytes::Bytes,
    media_type: MediaType,
    cfg: &DecodeConfig,
) -> Result<VideoArtefact, DecodeError> {
    // MP4/MOV may keep their index at the end, so ffmpeg needs a seekable file.
    let file = tempfile::NamedTempFile::new().map_err(tool)?;
    tokio::fs::write(file.path(), bytes).await.map_err(tool)?;
    let input = Input {
        path: file.path(),
        demuxer: demuxer(media_type)?,
    };
    let probe = probe(&input, cfg).await?;
    if probe.duration_ms > cfg.limits.max_video_ms {
        return Err(DecodeError::TooLong(format!(
            "{:.1} s is over the {:.1} s limit",
            probe.duration_ms as f64 / 1000.0,
            cfg.limits.max_video_ms as f64 / 1000.0
        )));
    }
    crate::image::check_pixels(probe.width, probe.height, cfg.limits.max_pixels)?;
    let (frames, timeline) =
        tokio::join!(sample(&input, probe.frame_s, cfg), timeline(&input, cfg));
    let frames = frames?;
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
        timeline: timeline?,
    })
}

/// The uploaded file as ffmpeg and ffprobe open it: only as a local file
/// (no network, pipe or playlist protocol) and through the demuxer of the
/// sniffed format, never one the file's contents pick (an HLS or concat
/// playlist could make ffmpeg read other files or fetch URLs).
struct Input<'a> {
    path: &'a std::path::Path,
    demuxer: &'static str,
}

impl Input<'_> {
    /// The input options and the input, for either tool.
    fn args(&self, cmd: &mut Command) {
        cmd.args(["-protocol_whitelist", "file", "-f", self.demuxer, "-i"])
            .arg(self.path);
    }
}

/// FFmpeg's demuxer for a sniffed video format.
fn demuxer(media_type: MediaType) -> Result<&'static str, DecodeError> {
    match media_type {
        MediaType::Mp4 | MediaType::Mov => Ok("mov"),
        MediaType::Webm | MediaType::Mkv => Ok("matroska"),
        MediaType::Avi => Ok("avi"),
        other => Err(DecodeError::Unsupported(format!(
            "{} is not a video format",
            other.mime()
        ))),
    }
}

struct Probe {
    duration_ms: u64,
    /// One frame's duration in seconds (from the stream's frame rate).
    frame_s: f64,
    width: u32,
    height: u32,
    codec: String,
    tags: serde_json::Map<String, Value>,
}

async fn probe(input: &Input<'_>, cfg: &DecodeConfig) -> Result<Probe, DecodeError> {
    let mut cmd = Command::new(&cfg.ffprobe);
    cmd.args([
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
    ]);
    input.args(&mut cmd);
    let out = crate::tool::run(cmd, &cfg.ffprobe, cfg, crate::tool::REPORT_CAP).await?;
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
    // "30000/1001"; "0/0" when unknown (then assume 30 fps).
    let rate = |v: &Value| {
        let (n, d) = v.as_str()?.split_once('/')?;
        let (n, d) = (n.parse::<f64>().ok()?, d.parse::<f64>().ok()?);
        (n > 0.0 && d > 0.0).then(|| d / n)
    };
    Ok(Probe {
        duration_ms: (duration * 1000.0).round().max(0.0) as u64,
        frame_s: rate(&video["avg_frame_rate"])
            .or_else(|| rate(&video["r_frame_rate"]))
            .unwrap_or(1.0 / 30.0),
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

async fn sample(
    input: &Input<'_>,
    frame_s: f64,
    cfg: &DecodeConfig,
) -> Result<Vec<Frame>, DecodeError> {
    let side = cfg.frame_max_side;
    let interval = 1.0 / f64::from(cfg.frames_per_second.max(0.001));
    // Every frame within 1.5 frame durations of a tick (0 s, 1 s, …): the
    // first at or after it is the sample, as vPDQ takes every n-th frame
    // (the `fps` filter would pick frames nearest to half-ticks); the
    // others are its neighbours. `showinfo` reports each frame's time.
    let window = (1.5 * frame_s).min(0.4 * interval);
    let filter = format!(
        "select='lt(abs(t-{interval}*round(t/{interval})),{window})',\
         scale=w='min({side},iw)':h='min({side},ih)':force_original_aspect_ratio=decrease,\
         showinfo"
    );
    let mut cmd = Command::new(&cfg.ffmpeg);
    // `level+info`: showinfo logs at info level; errors are told apart by
    // their `[error]` prefix.
    cmd.args([
        "-loglevel",
        "level+info",
        "-hide_banner",
        "-nostats",
        "-nostdin",
    ]);
    input.args(&mut cmd);
    cmd.args([
        "-an",
        "-sn",
        "-vf",
        &filter,
        "-fps_mode",
        "vfr",
        "-frames:v",
        // About three frames per tick.
        &(cfg.max_frames.saturating_mul(4)).to_string(),
    ])
    .args(["-f", "image2pipe", "-vcodec", "ppm", "-"]);
    // The most the frames asked for can be: PPM at the sampling size.
    let frame = u64::from(side) * u64::from(side) * 3 + 64;
    let cap = u64::from(cfg.max_frames.saturating_mul(4)) * frame;
    let out = crate::tool::run(cmd, &cfg.ffmpeg, cfg, cap).await?;
    let log = String::from_utf8_lossy(&out.stderr);
    let images = parse_ppm_stream(&out.stdout);
    if images.is_empty() && !out.status.success() {
        let errors: String = log
            .lines()
            .filter(|l| l.contains("[error]") || l.contains("[fatal]"))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(DecodeError::Corrupt(format!(
            "frame decode failed: {}",
            first_line(&errors)
        )));
    }
    let times = frame_times(&log);
    let mut frames = group_by_tick(times.into_iter().zip(images), interval);
    frames.truncate(cfg.max_frames as usize);
    Ok(frames)
}

/// PDQ float features of every frame at TMK's rate and size, as upstream's
/// `tmk-hash-video` has ffmpeg produce them (`-s 64:64 -r 15`, RGB), read
/// as a stream: 1 KiB kept per frame instead of the frame.
async fn timeline(input: &Input<'_>, cfg: &DecodeConfig) -> Result<Vec<[f32; 256]>, DecodeError> {
    use bonafide_pdq::tmk::{FRAME_SIDE, FRAMES_PER_SECOND};
    let side = FRAME_SIDE.to_string();
    let mut cmd = Command::new(&cfg.ffmpeg);
    cmd.args(["-loglevel", "error", "-nostdin"]);
    input.args(&mut cmd);
    cmd.args(["-s", &format!("{side}:{side}"), "-an", "-sn"])
        .args(["-f", "rawvideo", "-c:v", "rawvideo", "-pix_fmt", "rgb24"])
        .args(["-r", &FRAMES_PER_SECOND.to_string(), "pipe:1"]);
    let frame_bytes = (3 * FRAME_SIDE * FRAME_SIDE) as usize;
    // Bounded like the sampled frames: the longest video allowed, at 15 fps.
    let max = (cfg.limits.max_video_ms / 1000 + 1) as usize * FRAMES_PER_SECOND as usize;
    let mut features = Vec::new();
    // Its exit status is not judged: the sampler above reports a broken
    // video; frames read before a failure still make a (shorter) timeline.
    crate::tool::stream(cmd, &cfg.ffmpeg, cfg, frame_bytes, |rgb| {
        if features.len() < max {
            let img = RgbImage::from_raw(FRAME_SIDE, FRAME_SIDE, rgb.to_vec())
                .expect("the record is one frame");
            features.push(bonafide_pdq::float_features(&img));
        }
    })
    .await?;
    Ok(features)
}

/// The `pts_time` of each frame `showinfo` reported, in output order.
fn frame_times(log: &str) -> Vec<f64> {
    log.lines()
        .filter(|l| l.contains("Parsed_showinfo"))
        .filter_map(|l| {
            let rest = &l[l.find(" pts_time:")? + " pts_time:".len()..];
            rest.split_whitespace().next()?.parse().ok()
        })
        .collect()
}

/// Groups frames by the tick they surround: the sample is the first frame
/// at or after the tick (vPDQ's choice), the rest are its neighbours. A
/// tick with no frame at or after it (the end of the video) has no sample.
fn group_by_tick(frames: impl IntoIterator<Item = (f64, RgbImage)>, interval: f64) -> Vec<Frame> {
    let mut groups: Vec<(u64, Vec<(f64, RgbImage)>)> = Vec::new();
    for (t, image) in frames {
        let tick = (t / interval).round().max(0.0) as u64;
        match groups.last_mut() {
            Some((k, members)) if *k == tick => members.push((t, image)),
            _ => groups.push((tick, vec![(t, image)])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(tick, mut members)| {
            let at = tick as f64 * interval - 1e-6;
            let central = members.iter().position(|(t, _)| *t >= at)?;
            let (t, image) = members.remove(central);
            Some(Frame {
                at_ms: (t * 1000.0).round().max(0.0) as u64,
                image: Arc::new(image),
                neighbours: members.into_iter().map(|(_, i)| Arc::new(i)).collect(),
            })
        })
        .collect()
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
    fn frames_group_around_ticks() {
        let img = || RgbImage::new(1, 1);
        // 30 fps around 0 s and 1 s; the video ends just before 2 s.
        let times = [0.0, 0.033, 0.967, 1.0, 1.033, 1.967];
        let frames = group_by_tick(times.iter().map(|&t| (t, img())), 1.0);
        let summary: Vec<(u64, usize)> = frames
            .iter()
            .map(|f| (f.at_ms, f.neighbours.len()))
            .collect();
        assert_eq!(summary, [(0, 1), (1000, 2)]);
    }

    #[test]
    fn showinfo_times() {
        let log = "[Parsed_showinfo_2 @ 0x1] [info] n:   0 pts:      0 pts_time:0       duration:512\n\
                   [Parsed_showinfo_2 @ 0x1] [info] n:   1 pts:  15360 pts_time:1.033   duration:512\n\
                   [out#0/image2pipe @ 0x2] [info] video:1kB";
        assert_eq!(frame_times(log), [0.0, 1.033]);
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
