//! A short video made from a photo: a slow zoom and pan over it, the way a
//! phone video of a still scene moves. `eval task --video` turns a labelled
//! photo set into a labelled video set with it.

use std::{path::Path, time::Duration};

use anyhow::Context;

/// Length of every clip.
pub const SECONDS: u32 = 4;
const FPS: u32 = 25;
/// ffmpeg gets this long per clip (a 4 s clip takes well under a second).
const TIMEOUT: Duration = Duration::from_secs(60);

/// Encodes `photo` as an H.264 MP4 of [`SECONDS`] at 640×480 into `out`:
/// zooming from the whole picture to 80 % of it while drifting from its
/// left part to its right, so every frame differs and the last still shows
/// the subject.
pub async fn make(photo: &Path, out: &Path) -> anyhow::Result<()> {
    let frames = SECONDS * FPS;
    let filter = format!(
        "scale=960:-2,zoompan=z='1+0.25*on/{frames}':x='(iw-iw/zoom)*on/{frames}':\
         y='(ih-ih/zoom)/2':d={frames}:s=640x480:fps={FPS}"
    );
    let mut ffmpeg = tokio::process::Command::new("ffmpeg");
    ffmpeg
        .args(["-v", "error", "-nostdin", "-y", "-i"])
        .arg(photo)
        .args(["-vf", &filter, "-frames:v", &frames.to_string()])
        .args([
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        ])
        .arg(out)
        .kill_on_drop(true);
    let output = tokio::time::timeout(TIMEOUT, ffmpeg.output())
        .await
        .with_context(|| format!("ffmpeg took over {TIMEOUT:?} on {}", photo.display()))?
        .context("running ffmpeg (is it installed?)")?;
    anyhow::ensure!(
        output.status.success(),
        "ffmpeg could not make a clip of {}: {}",
        photo.display(),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

/// A task's wording for a video answer: "photo" and "picture" become "video",
/// "photograph" becomes "film" (either case), so the task reads as its
/// video counterpart ("Take a video of your cat or dog").
pub fn video_wording(text: &str) -> String {
    [
        ("Photograph", "Film"),
        ("photograph", "film"),
        ("Photo", "Video"),
        ("photo", "video"),
        ("Picture", "Video"),
        ("picture", "video"),
    ]
    .iter()
    .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_reworded_for_video() {
        assert_eq!(
            video_wording("Take a photo of your cat or dog."),
            "Take a video of your cat or dog."
        );
        assert_eq!(
            video_wording("Photograph a meal. A landscape photo."),
            "Film a meal. A landscape video."
        );
        assert_eq!(
            video_wording("Take a picture of a street."),
            "Take a video of a street."
        );
        assert_eq!(video_wording("Wildlife"), "Wildlife");
    }

    #[tokio::test]
    async fn a_photo_becomes_a_four_second_clip() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo.png");
        image::RgbImage::from_fn(320, 240, |x, y| image::Rgb([x as u8, y as u8, 128]))
            .save(&photo)
            .unwrap();
        let clip = dir.path().join("clip.mp4");
        make(&photo, &clip).await.unwrap();
        let probe = std::process::Command::new("ffprobe")
            .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
            .args(["-show_entries", "stream=nb_read_frames,width,height"])
            .args(["-of", "csv=p=0"])
            .arg(&clip)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "640,480,100");
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_picture_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.jpg");
        std::fs::write(&bad, b"not a picture").unwrap();
        let err = make(&bad, &dir.path().join("clip.mp4")).await.unwrap_err();
        assert!(err.to_string().contains("could not make a clip"), "{err}");
    }
}
