//! The Rust model code against reference outputs that Python ONNX Runtime
//! computes from the same model files with each model's reference
//! preprocessing (`scripts/model-reference`): images through Bonafide's own
//! decoder, text through our WordPiece tokenizer against Hugging Face's.
//! The float models' references are stored in `tests/data/`; CLIP's is
//! computed on the machine the test runs on, because its int8 arithmetic
//! rounds differently on different CPUs (cosine 0.98–0.999 across them).

use std::{collections::BTreeMap, path::PathBuf, sync::OnceLock};

use bonafide_core::Embedding;
use bonafide_decode::{DecodeConfig, decode};
use bonafide_models::{ClipImageEncoder, ImageNetClassifier, ModelDir, Runtime, SentenceEncoder};
use image::RgbImage;
use serde::Deserialize;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The models `scripts/models` installed (the test command installs them).
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let dir = std::env::var_os("BONAFIDE_MODELS")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("models"));
        Runtime::load(&ModelDir::new(dir), 0).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The colour picture the engine hands the models, decoded by Bonafide.
async fn picture(file: &str) -> std::sync::Arc<RgbImage> {
    let bytes = bytes::Bytes::from(std::fs::read(workspace().join(file)).unwrap());
    let media_type = bonafide_ingest::sniff(&bytes);
    let art = decode(bytes, media_type, &DecodeConfig::default())
        .await
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    art.image
        .and_then(|i| i.colour)
        .expect("a still image, in colour")
}

#[derive(Deserialize)]
struct ClipReference {
    embeddings: BTreeMap<String, Vec<f32>>,
}

/// Camera JPEGs of several makes, rotated ones, web photos and a PNG.
const CLIP_PICTURES: [&str; 8] = [
    "../shared/data/near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
    "../shared/data/near-duplicates/imagededup-ukbench/base_images/ukbench08976.jpg",
    "../shared/data/exif-samples-ianare/jpg/Canon_40D.jpg",
    "../shared/data/exif-samples-ianare/jpg/Nikon_D70.jpg",
    "../shared/data/exif-samples-ianare/jpg/Fujifilm_FinePix_E500.jpg",
    "../shared/data/exif-samples-ianare/jpg/orientation/landscape_6.jpg",
    "../shared/data/exif-samples-ianare/jpg/orientation/portrait_5.jpg",
    "../shared/data/pdq-tmk-vpdq-threatexchange/pdq/data/reg-test-input/pen-and-coaster.png",
];

/// `scripts/model-reference clip` on [`CLIP_PICTURES`], here and now.
fn clip_reference() -> ClipReference {
    let out = tempfile::NamedTempFile::new().unwrap();
    let status = std::process::Command::new(workspace().join("scripts/model-reference"))
        .arg("clip")
        .arg(out.path())
        .args(CLIP_PICTURES)
        .current_dir(workspace())
        .status()
        .unwrap();
    assert!(status.success(), "scripts/model-reference failed");
    serde_json::from_slice(&std::fs::read(out.path()).unwrap()).unwrap()
}

#[tokio::test]
async fn clip_embeddings_agree_with_the_python_reference() {
    let reference = clip_reference();
    assert_eq!(reference.embeddings.len(), CLIP_PICTURES.len());
    let encoder = ClipImageEncoder::load(runtime()).unwrap();
    let mut images = Vec::new();
    for file in reference.embeddings.keys() {
        images.push(picture(file).await);
    }
    let batch: Vec<_> = images.iter().map(|i| i.as_ref()).collect();
    let embedded = encoder.embed(&batch).unwrap();
    // Each picture is embedded alone, so batch mates change nothing.
    let single = encoder.embed(&batch[..1]).unwrap();
    assert_eq!(single[0], embedded[0]);
    let mut worst = 1.0f32;
    for ((file, expected), got) in reference.embeddings.iter().zip(&embedded) {
        let cosine = got.cosine(&Embedding::normalized(expected.clone()));
        println!("{file}: cosine {cosine:.6}");
        worst = worst.min(cosine);
    }
    assert!(worst >= 0.999, "cosine {worst} to the reference");
}

#[derive(Deserialize)]
struct ClassifierReference {
    top5: BTreeMap<String, Vec<(usize, f32)>>,
}

#[tokio::test]
async fn classifier_agrees_with_the_python_reference() {
    let reference: ClassifierReference =
        serde_json::from_str(include_str!("data/classifier_reference.json")).unwrap();
    let classifier = ImageNetClassifier::load(runtime()).unwrap();
    let mut images = Vec::new();
    for file in reference.top5.keys() {
        images.push(picture(file).await);
    }
    let batch: Vec<_> = images.iter().map(|i| i.as_ref()).collect();
    let probabilities = classifier.probabilities(&batch).unwrap();
    for ((file, top5), got) in reference.top5.iter().zip(&probabilities) {
        let best = (0..got.len())
            .max_by(|&a, &b| got[a].total_cmp(&got[b]))
            .unwrap();
        let (expected_best, expected_p) = top5[0];
        println!(
            "{file}: {} {:.3} (reference {} {expected_p:.3})",
            classifier.concepts()[best].name,
            got[best],
            classifier.concepts()[expected_best].name
        );
        // The same pixels in, so the same probabilities out.
        assert_eq!(best, expected_best, "{file}");
        for &(class, p) in top5 {
            assert!(
                (got[class] - p).abs() < 1e-3,
                "{file}: class {class}: {} vs {p}",
                got[class]
            );
        }
    }
    let dog = "ai-generated/ml72-playground/real/animals_10.jpg";
    let (i, _) = reference
        .top5
        .keys()
        .enumerate()
        .find(|(_, f)| f.ends_with(dog))
        .unwrap();
    let best = (0..1000)
        .max_by(|&a, &b| probabilities[i][a].total_cmp(&probabilities[i][b]))
        .unwrap();
    assert!(
        (151..=268).contains(&best),
        "ImageNet's dog classes are 151–268; got {}",
        classifier.concepts()[best].name
    );
}

#[derive(Deserialize)]
struct TextReference {
    texts: BTreeMap<String, TextCase>,
}

#[derive(Deserialize)]
struct TextCase {
    ids: Vec<i64>,
    embedding: Vec<f32>,
}

#[test]
fn sentence_embeddings_agree_with_the_python_reference() {
    let reference: TextReference =
        serde_json::from_str(include_str!("data/text_reference.json")).unwrap();
    let encoder = SentenceEncoder::load(runtime()).unwrap();
    let texts: Vec<&str> = reference.texts.keys().map(String::as_str).collect();
    // Batched (padded to the longest) as the engine embeds concept names.
    let embedded = encoder.embed(&texts).unwrap();
    for ((text, case), got) in reference.texts.iter().zip(&embedded) {
        assert_eq!(encoder.tokens(text), case.ids, "{text:?}: WordPiece ids");
        let cosine = got.cosine(&Embedding::normalized(case.embedding.clone()));
        assert!(cosine >= 0.9999, "{text:?}: cosine {cosine}");
    }
    // And the model means what it says: a dog is nearer a puppy than a bin.
    let e = encoder.embed(&["a dog", "a puppy", "a trash can"]).unwrap();
    assert!(e[0].cosine(&e[1]) > e[0].cosine(&e[2]) + 0.3);
}

#[tokio::test]
async fn body_parts_see_the_person_and_not_the_mountain() {
    let detector = bonafide_models::BodyPartDetector::load(runtime()).unwrap();
    let person = picture("../shared/data/ai-generated/ml72-playground/real/people_10.jpg").await;
    let seen = detector.detect(person.as_ref()).unwrap();
    println!("person: {seen:?}");
    assert!(seen.face >= 0.5 && seen.person >= 0.5, "{seen:?}");
    assert!(seen.nudity < 0.2, "{seen:?}");
    for nobody in ["nature_3", "city_3", "food_5"] {
        let file = format!("../shared/data/ai-generated/ml72-playground/real/{nobody}.jpg");
        let seen = detector.detect(picture(&file).await.as_ref()).unwrap();
        println!("{nobody}: {seen:?}");
        assert!(
            seen.person < 0.35 && seen.nudity < 0.2,
            "{nobody}: {seen:?}"
        );
    }
}

/// Real photos and what is plainly in them: the detector names it (and
/// where: the dog fills much of its photo) and finds no person where there
/// is none.
#[tokio::test]
async fn objects_are_named_and_placed_in_real_photos() {
    let detector = bonafide_models::ObjectDetector::load(runtime()).unwrap();
    let real = "../shared/data/ai-generated/ml72-playground/real";
    for (photo, expected) in [
        ("animals_10", "dog"),
        ("animals_8", "cat"),
        ("people_10", "person"),
        ("food_2", "bowl"),
    ] {
        let img = picture(&format!("{real}/{photo}.jpg")).await;
        let seen = detector.detect(img.as_ref()).unwrap();
        println!("{photo}: {seen:?}");
        let best = seen
            .first()
            .unwrap_or_else(|| panic!("{photo}: nothing seen"));
        assert_eq!(best.label, expected, "{photo}: {seen:?}");
        assert!(best.score >= 0.7, "{photo}: {seen:?}");
        let area = f64::from(best.region.w) * f64::from(best.region.h);
        let whole = f64::from(img.width()) * f64::from(img.height());
        assert!(
            area / whole > 0.05 && area <= whole,
            "{photo}: {:?}",
            best.region
        );
    }
    for nobody in ["nature_3", "city_4", "food_5", "animals_7"] {
        let img = picture(&format!("{real}/{nobody}.jpg")).await;
        let seen = detector.detect(img.as_ref()).unwrap();
        println!("{nobody}: {seen:?}");
        assert!(
            seen.iter().all(|o| o.label != "person"),
            "{nobody}: {seen:?}"
        );
    }
}

/// A person's pose, read in the box the object detector found: the body's
/// keypoints are seen, head and shoulders inside the box, in a body's order
/// (eyes above shoulders above hips; the hips, at the photo's bottom edge,
/// may be placed just past it).
#[tokio::test]
async fn a_persons_pose_is_read_in_their_box() {
    let detector = bonafide_models::ObjectDetector::load(runtime()).unwrap();
    let estimator = bonafide_models::PoseEstimator::load(runtime()).unwrap();
    let img = picture("../shared/data/ai-generated/ml72-playground/real/people_10.jpg").await;
    let seen = detector.detect(img.as_ref()).unwrap();
    let person = seen.iter().find(|o| o.label == "person").unwrap();
    let pose = estimator.estimate(img.as_ref(), person.region).unwrap();
    println!("{pose:?}");
    assert_eq!(pose.keypoints.len(), 17);
    assert!(pose.seen() >= 10, "{pose:?}");
    assert!(pose.parts().starts_with(&["head", "shoulders"]), "{pose:?}");
    let r = person.region;
    let k = |i: usize| pose.keypoints[i];
    for i in [0, 1, 2, 5, 6] {
        assert!(
            k(i).score >= bonafide_core::KEYPOINT_SEEN_FROM,
            "{i}: {pose:?}"
        );
        let (x, y) = (k(i).x, k(i).y);
        assert!(
            x >= r.x as f32
                && x <= (r.x + r.w) as f32
                && y >= r.y as f32
                && y <= (r.y + r.h) as f32,
            "{i} outside {r:?}: {pose:?}"
        );
    }
    let shoulders = (k(5).y + k(6).y) / 2.0;
    let hips = (k(11).y + k(12).y) / 2.0;
    assert!(k(1).y < shoulders && shoulders < hips, "{pose:?}");
}

#[tokio::test]
async fn text_lines_are_found_on_a_page_and_not_on_a_mountain() {
    let detector = bonafide_models::TextLineDetector::load(runtime()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page");
    let pdf = "../shared/data/documents-pdf/py-pdf-sample-files/011-google-doc-document/google-doc-document.pdf";
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(workspace().join(pdf))
        .arg(&page)
        .status()
        .expect("pdftoppm (poppler-utils, installed by scripts/setup)");
    assert!(status.success());
    let png = page.with_extension("png");
    let rendered = image::open(&png).unwrap().to_rgb8();
    let on_page = detector.detect(&rendered).unwrap();
    let mountain = detector
        .detect(
            picture("../shared/data/ai-generated/ml72-playground/real/nature_3.jpg")
                .await
                .as_ref(),
        )
        .unwrap();
    println!("page: {on_page:?}, mountain: {mountain:?}");
    // The page has 19 lines of prose, a 5-row table and footnotes.
    assert!(on_page.lines >= 20, "{on_page:?}");
    assert!(mountain.lines < 3, "{mountain:?}");
}

#[derive(Deserialize)]
struct SscdReference {
    descriptors: BTreeMap<String, Vec<f32>>,
}

/// SSCD's student against Python ONNX Runtime with Pillow's resizing
/// (`scripts/model-reference sscd`, stored: the model is fp16 weights with
/// fp32 arithmetic, so it computes alike on every CPU). The decoders differ
/// (libjpeg-turbo at reduced scale against Pillow's), so a little.
#[tokio::test]
async fn copy_descriptors_agree_with_the_python_reference() {
    let reference: SscdReference =
        serde_json::from_str(include_str!("data/sscd_reference.json")).unwrap();
    let model = bonafide_models::CopyDescriptor::load(runtime()).unwrap();
    for (file, expected) in &reference.descriptors {
        let picture = picture(file).await;
        let got = model
            .describe(&bonafide_models::CopyDescriptor::working(&picture))
            .unwrap();
        let cosine = Embedding::normalized(got).cosine(&Embedding::normalized(expected.clone()));
        println!("{file}: cosine {cosine:.5} to the reference");
        assert!(cosine > 0.995, "{file}: cosine {cosine}");
    }
}

/// What the descriptor is for: a photo and its edited copies score high
/// after the shipped post-processing, different photos low — and a copy
/// pasted small onto another photo is found in a region of it.
#[tokio::test]
async fn copies_score_high_and_other_photos_low() {
    use bonafide_models::{CopyDescriptor, CopySpace};
    let model = CopyDescriptor::load(runtime()).unwrap();
    let space = CopySpace::shipped();
    let describe = |img: &RgbImage| {
        let e = space.project(&model.describe(&CopyDescriptor::working(img)).unwrap());
        let offset = space.offset(&e);
        (e, offset)
    };
    let photo = picture("../shared/data/ai-generated/ml72-playground/real/city_3.jpg").await;
    let other = picture("../shared/data/ai-generated/ml72-playground/real/nature_2.jpg").await;
    let (w, h) = photo.dimensions();
    let crop = image::imageops::crop_imm(photo.as_ref(), w / 4, h / 4, w / 2, h / 2).to_image();
    let (original, _) = describe(&photo);
    let (cropped, offset) = describe(&crop);
    let (unrelated, unrelated_offset) = describe(&other);
    let copy_score = cropped.cosine(&original) - offset;
    let other_score = unrelated.cosine(&original) - unrelated_offset;
    println!("centre crop {copy_score:.3}, another photo {other_score:.3}");
    assert!(copy_score > 0.3, "{copy_score}");
    assert!(other_score < 0.1, "{other_score}");

    // The photo at 45% of the other's width, pasted into its corner.
    let mut pasted = other.as_ref().clone();
    let (ow, _) = pasted.dimensions();
    let small = image::imageops::resize(
        photo.as_ref(),
        ow * 45 / 100,
        h * (ow * 45 / 100) / w,
        image::imageops::FilterType::CatmullRom,
    );
    image::imageops::overlay(&mut pasted, &small, 0, 0);
    let working = CopyDescriptor::working(&pasted);
    let regions = bonafide_matching::regions::proposals(&working);
    let best = model
        .describe_regions(&working, &regions)
        .unwrap()
        .into_iter()
        .map(|d| {
            let e = space.project(&d);
            e.cosine(&original) - space.offset(&e)
        })
        .fold(f32::NEG_INFINITY, f32::max);
    let (whole, offset) = describe(&pasted);
    println!(
        "pasted: whole {:.3}, best region {best:.3}",
        whole.cosine(&original) - offset
    );
    assert!(best > bonafide_matching::COPY_SCORE, "{best}");
}
