//! Rights statements in real files: the camera owner named in EXIF against
//! the contributor's name, boilerplate notices that name no one, and a
//! stock agency's credit line.

use bonafide_store::Scope;
use serde_json::json;

use crate::common::*;

const SAMPLES: &str = "exif-samples-ianare/jpg";

/// A JPEG with an XMP packet crediting `credit` inserted after its SOI.
fn with_xmp_credit(jpeg: &[u8], credit: &str) -> Vec<u8> {
    let packet = format!(
        r#"http://ns.adobe.com/xap/1.0/{nul}<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="{credit}"/></rdf:RDF></x:xmpmeta>"#,
        nul = '\0'
    );
    let len = u16::try_from(packet.len() + 2).unwrap().to_be_bytes();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, len[0], len[1]]);
    out.extend_from_slice(packet.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

both!(
    the_author_a_file_names_is_checked_against_the_contributor,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        // EXIF Copyright "J P Bowen".
        let bowen = read(&format!("{SAMPLES}/exif-org/fujifilm-dx10.jpg"));
        let someone_else = srv
            .screen(
                &key,
                "a.jpg",
                bowen.clone(),
                json!({"contributor_id": "alice", "contributor_name": "Alice Smith"}),
            )
            .await;
        let named = someone_else
            .finding("copyright.rights_holder")
            .unwrap_or_else(|| panic!("{someone_else:?}"));
        assert_eq!(named["evidence"]["named"], json!(["J P Bowen"]));
        assert_eq!(someone_else.decision(), "review");
        let his_own = srv
            .screen(
                &key,
                "b.jpg",
                bowen.clone(),
                json!({"contributor_id": "jpb", "contributor_name": "Jonathan P. Bowen"}),
            )
            .await;
        assert!(
            his_own.finding("copyright.rights_holder").is_none(),
            "{his_own:?}"
        );
        // Without a name to compare with: a note, not a review.
        let unnamed = srv
            .screen(&key, "c.jpg", bowen, json!({"contributor_id": "carol"}))
            .await;
        assert_eq!(
            unnamed.finding("copyright.rights_holder").unwrap()["score"],
            0.3
        );

        // Notices that name no one: the camera's own name, a placeholder
        // user, a bare year.
        for file in [
            "exif-org/kodak-dc240.jpg",
            "exif-org/ricoh-rdc5300.jpg",
            "Samsung_Digimax_i50_MP3.jpg",
        ] {
            let v = srv
                .screen(
                    &key,
                    "d.jpg",
                    read(&format!("{SAMPLES}/{file}")),
                    json!({"contributor_id": "dave", "contributor_name": "Dave Jones"}),
                )
                .await;
            assert!(
                v.finding("copyright.rights_holder").is_none(),
                "{file}: {v:?}"
            );
        }

        // Someone else's photo, even one they put in the public domain, is
        // not the contributor's own: EXIF says "public domain", XMP names
        // its author.
        let v = srv
            .screen(
                &key,
                "p.jpg",
                read(&format!("{SAMPLES}/Pentax_K10D.jpg")),
                json!({"contributor_id": "dave", "contributor_name": "Dave Jones"}),
            )
            .await;
        let named = v
            .finding("copyright.rights_holder")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(named["evidence"]["named"], json!(["Laitche"]));

        // A stock agency's credit line rejects.
        let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench09012.jpg");
        let stock = srv
            .screen(
                &key,
                "e.jpg",
                with_xmp_credit(&photo, "Getty Images/iStockphoto"),
                json!({"contributor_id": "erin"}),
            )
            .await;
        let credit = stock
            .finding("copyright.stock_credit")
            .unwrap_or_else(|| panic!("{stock:?}"));
        assert_eq!(credit["evidence"]["field"], "XMP photoshop:Credit");
        assert_eq!(stock.decision(), "reject");
    }
);

/// A reference corpus imported from a folder: a resized copy of one of its
/// photos is plagiarism, named with the entry's source, licence and rights
/// holder; a `known` bank still gives `bank.match`.
#[test]
fn a_copy_of_a_reference_image_is_plagiarism() {
    use super::cli::{bonafide, finding, scan};
    let dir = tempfile::tempdir().unwrap();
    let out = bonafide(dir.path())
        .args([
            "bank",
            "import",
            "web",
            "--kind",
            "reference",
            "--licence",
            "CC BY-NC-SA 4.0",
        ])
        .args(["--rights-holder", "UKBench authors"])
        .arg(data("near-duplicates/imagededup-ukbench/base_images"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = data("near-duplicates/imagededup-ukbench/mixed_images/ukbench00120_resize.jpg");
    let lines = scan(dir.path(), &[copy.as_path()]);
    let hit =
        finding(&lines[0], "plagiarism.reference_match").unwrap_or_else(|| panic!("{}", lines[0]));
    assert!(
        hit["evidence"]["source"]
            .as_str()
            .unwrap()
            .ends_with("ukbench00120.jpg")
    );
    assert_eq!(hit["evidence"]["licence"], "CC BY-NC-SA 4.0");
    assert_eq!(hit["evidence"]["rights_holder"], "UKBench authors");
    assert!(finding(&lines[0], "bank.match").is_none());
    assert_eq!(lines[0]["verdict"], "reject", "{}", lines[0]);
    let banks = bonafide(dir.path())
        .args(["bank", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&banks.stdout).contains("\"kind\":\"reference\""));
}

// Real photos with a stock agency's watermark drawn on them (the big
// semi-transparent name and the credit line, as catalogues show previews)
// are catalogue photos; with a photographer's copyright notice along the
// bottom they go to a person; the same photos without either pass. Once a
// watermarked preview is rejected, another copy of that photo is rejected
// by the `rejected` bank, through its copy descriptor.
both!(
    a_stock_watermark_on_the_picture_is_read,
    |env: TestEnv| async move {
        use bonafide_lab::transforms::{DEFAULT_FONT, Painter, Transform, jpeg};
        let painter = Painter::load(std::path::Path::new(DEFAULT_FONT)).unwrap();
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        for name in ["animals_1.jpg", "nature_2.jpg"] {
            let photo = image::load_from_memory(&read(&format!(
                "ai-generated/ml72-playground/real/{name}"
            )))
            .unwrap()
            .to_rgb8();
            let claimed = srv
                .screen(
                    &key,
                    name,
                    painter.apply(Transform::CopyrightNotice, &photo),
                    json!({"contributor_id": "carol"}),
                )
                .await;
            let notice = claimed
                .finding("copyright.notice_in_image")
                .unwrap_or_else(|| panic!("{name}: {claimed:?}"));
            assert!(
                notice["evidence"]["text"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("rights"),
                "{name}: {notice:?}"
            );
            assert!(claimed.finding("copyright.stock_watermark").is_none());
            assert_eq!(claimed.decision(), "review", "{name}: {claimed:?}");
            let marked = srv
                .screen(
                    &key,
                    name,
                    painter.apply(Transform::StockWatermark, &photo),
                    json!({"contributor_id": "alice"}),
                )
                .await;
            let mark = marked
                .finding("copyright.stock_watermark")
                .unwrap_or_else(|| panic!("{name}: {marked:?}"));
            assert_eq!(mark["evidence"]["agency"], "shutterstock", "{name}");
            assert_eq!(marked.decision(), "reject", "{name}: {marked:?}");
            let clean = srv
                .screen(
                    &key,
                    name,
                    jpeg(&photo, 90),
                    json!({"contributor_id": "bob"}),
                )
                .await;
            assert!(
                clean.finding("copyright.stock_watermark").is_none()
                    && clean.finding("copyright.notice_in_image").is_none(),
                "{name}: {clean:?}"
            );
            // The catalogue photo itself, after its preview was rejected.
            let remembered = clean
                .finding("bank.match")
                .unwrap_or_else(|| panic!("{name}: {clean:?}"));
            assert_eq!(remembered["evidence"]["bank"], "rejected", "{remembered}");
            assert_eq!(clean.decision(), "reject", "{name}: {clean:?}");
        }
    }
);
