//! Checks a task's explicit requirements on what answers show: the words
//! of `must_show` and `must_not_show` (COCO objects the object detector
//! finds, ImageNet concepts the classifier names) and `person_count` (the
//! people the object detector finds). A video is judged by the share of its
//! embedded frames that meet each requirement: a clip that shows a dog for
//! a moment is not a dog video. A task that asks contributors to show
//! themselves ("a video of yourself taking out the trash") needs a person
//! through most of the clip even without a `person_count`. What was seen
//! is said with each person's pose (the body parts the pose estimator
//! found in their box); the pose decides nothing yet.

use std::sync::Arc;

use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, Finding, MediaKind, PersonCount, Pose, SeenObject,
    SeenObjects, Task,
};
use bonafide_models::{Meaning, ObjectDetector, Vocabulary};
use serde_json::{Value, json};

use crate::task_codes::MISMATCH;

/// The requirement checker over the words tasks may use.
#[derive(Debug)]
pub struct TaskObjects {
    vocabulary: Arc<Vocabulary>,
}

impl TaskObjects {
    /// The detector over `vocabulary` (the engine's, which tasks are
    /// checked against when saved).
    pub fn new(vocabulary: Arc<Vocabulary>) -> Self {
        Self { vocabulary }
    }
}

/// An object scored at least this shows its word.
pub const SHOWS_FROM: f32 = 0.5;
/// An object scored at least this shows its word beyond doubt: a forbidden
/// one is rejected.
pub const SURELY_FROM: f32 = 0.75;
/// ImageNet probability (summed over the word's classes) from which the
/// classifier shows a word, and beyond doubt.
const CLASS_SHOWS_FROM: f32 = 0.3;
const CLASS_SURELY_FROM: f32 = 0.6;
/// A person scored at least this is counted.
pub const PERSON_FROM: f32 = 0.5;
/// Share of a video's frames that must meet a requirement.
pub const FRAME_SHARE: f32 = 0.5;
/// Words by which a task asks contributors to show themselves.
const SELF_WORDS: [&str; 5] = [
    "yourself",
    "yourselves",
    "selfie",
    "selfies",
    "self-portrait",
];
/// Objects listed per picture in the evidence.
const LISTED: usize = 8;

const MODELS: [&str; 1] = [ObjectDetector::FILE];

/// How plainly a picture shows a word.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub(crate) enum Shown {
    No,
    Likely,
    Surely,
}

#[async_trait]
impl Detector for TaskObjects {
    fn name(&self) -> &'static str {
        "task_objects"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Video)
    }

    fn codes(&self) -> &'static [&'static str] {
        &[MISMATCH]
    }

    fn models(&self) -> &[&'static str] {
        &MODELS
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(task) = ctx.task else {
            return Ok(vec![]);
        };
        let r = &task.requirements;
        // The people asked for, and the word implying it when the task
        // sets no count (an explicit count wins over what the text implies).
        let people = match r.person_count {
            Some(range) => Some((range, None)),
            None => asks_for_self(task).map(|word| {
                let one = PersonCount {
                    min: Some(1),
                    max: None,
                };
                (one, Some(word))
            }),
        };
        if art.objects.is_empty()
            || (r.must_show.is_empty() && r.must_not_show.is_empty() && people.is_none())
        {
            return Ok(vec![]);
        }
        let pictures = Pictures::new(art);
        let seen = objects_evidence(art);
        let mut out = Vec::new();
        for word in &r.must_show {
            // Words were checked when the task was saved; one the models
            // no longer know (a model removed since) is not held against
            // the contributor.
            let Ok(meaning) = self.vocabulary.resolve(word) else {
                continue;
            };
            let share = pictures.share(|i| pictures.shows(i, meaning) >= Shown::Likely);
            if share < FRAME_SHARE {
                out.push(self.finding(
                    0.6,
                    format!(
                        "The task \"{}\" asks to show {word}; {} Seen: {}.",
                        task.title,
                        pictures.not_seen(share),
                        objects_summary(art)
                    ),
                    json!({"task_id": task.id, "requirement": "must_show", "word": word,
                           "share": share, "seen": seen}),
                ));
            }
        }
        for word in &r.must_not_show {
            let Ok(meaning) = self.vocabulary.resolve(word) else {
                continue;
            };
            let surely = pictures.share(|i| pictures.shows(i, meaning) == Shown::Surely);
            let likely = pictures.share(|i| pictures.shows(i, meaning) >= Shown::Likely);
            let score = if surely >= FRAME_SHARE {
                0.9
            } else if likely > 0.0 {
                0.6
            } else {
                continue;
            };
            out.push(self.finding(
                score,
                format!(
                    "The task \"{}\" must not show {word}; {} Seen: {}.",
                    task.title,
                    pictures.seen_in(likely),
                    objects_summary(art)
                ),
                json!({"task_id": task.id, "requirement": "must_not_show", "word": word,
                       "share": likely, "surely_share": surely, "seen": seen}),
            ));
        }
        if let Some((range, inferred_from)) = people {
            let counts: Vec<u32> = (0..art.objects.len()).map(|i| pictures.people(i)).collect();
            let share = pictures.share(|i| range.allows(counts[i]));
            if share < FRAME_SHARE {
                let asks = match inferred_from {
                    Some(word) => format!("asks contributors to show themselves (\"{word}\")"),
                    None => format!("asks for {} people", range.describe()),
                };
                out.push(self.finding(
                    0.6,
                    format!(
                        "The task \"{}\" {asks}; {}{}.",
                        task.title,
                        people_seen(&counts),
                        pictures.as_asked_in(share)
                    ),
                    json!({"task_id": task.id, "requirement": "person_count",
                           "inferred_from": inferred_from,
                           "min": range.min, "max": range.max, "counts": counts,
                           "share": share, "seen": seen}),
                ));
            }
        }
        Ok(out)
    }
}

impl TaskObjects {
    /// A `task.mismatch` naming the requirement (`evidence`, an object)
    /// and the share of frames it asks for.
    fn finding(&self, score: f32, message: String, mut evidence: Value) -> Finding {
        evidence["frame_share"] = json!(FRAME_SHARE);
        Finding::new(self.name(), MISMATCH, score, message).with_evidence(evidence)
    }
}

/// The word by which `task`'s text asks contributors to show themselves,
/// if it does.
fn asks_for_self(task: &Task) -> Option<&'static str> {
    let text = format!("{} {}", task.title, task.instructions).to_lowercase();
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .find_map(|w| SELF_WORDS.iter().copied().find(|s| *s == w))
}

/// The upload's pictures (the photo, or the embedded frames) as the object
/// detector and the classifier saw them.
pub(crate) struct Pictures<'a> {
    art: &'a Artefacts,
}

impl<'a> Pictures<'a> {
    /// The pictures of `art`.
    pub(crate) fn new(art: &'a Artefacts) -> Self {
        Self { art }
    }

    fn objects(&self, i: usize) -> &SeenObjects {
        &self.art.objects[i]
    }

    /// How plainly picture `i` shows what `meaning` names.
    pub(crate) fn shows(&self, i: usize, meaning: &Meaning) -> Shown {
        let object = self
            .objects(i)
            .iter()
            .filter(|o| meaning.objects.contains(&o.label))
            .map(|o| o.score)
            .fold(0.0f32, f32::max);
        let class: f32 = self.art.concepts.get(i).map_or(0.0, |p| {
            meaning.classes.iter().filter_map(|&c| p.get(c)).sum()
        });
        if object >= SURELY_FROM || class >= CLASS_SURELY_FROM {
            Shown::Surely
        } else if object >= SHOWS_FROM || class >= CLASS_SHOWS_FROM {
            Shown::Likely
        } else {
            Shown::No
        }
    }

    /// People counted in picture `i`.
    fn people(&self, i: usize) -> u32 {
        self.objects(i)
            .iter()
            .filter(|o| o.label == "person" && o.score >= PERSON_FROM)
            .count() as u32
    }

    /// The share of pictures for which `meets` holds.
    pub(crate) fn share(&self, meets: impl Fn(usize) -> bool) -> f32 {
        let n = self.art.objects.len();
        (0..n).filter(|&i| meets(i)).count() as f32 / n.max(1) as f32
    }

    fn is_video(&self) -> bool {
        self.art.objects.len() > 1
    }

    fn not_seen(&self, share: f32) -> String {
        if self.is_video() {
            format!("seen in {:.0}% of the frames.", share * 100.0)
        } else {
            "not seen.".into()
        }
    }

    /// For a video, the share of frames with as many people as asked.
    fn as_asked_in(&self, share: f32) -> String {
        if self.is_video() {
            format!(", as asked in {:.0}% of the frames", share * 100.0)
        } else {
            String::new()
        }
    }

    fn seen_in(&self, share: f32) -> String {
        if self.is_video() {
            format!("seen in {:.0}% of the frames.", share * 100.0)
        } else {
            "it is seen.".into()
        }
    }
}

/// The objects seen in an upload's pictures, in words: each label with
/// its best score, and for the best-scored person the body parts their
/// pose shows ("person 0.95 (head, arms, hands)").
pub(crate) fn objects_summary(art: &Artefacts) -> String {
    let mut best: Vec<(&str, f32, Option<&Pose>)> = Vec::new();
    for (i, objects) in art.objects.iter().enumerate() {
        for o in objects.iter().filter(|o| o.score >= SHOWS_FROM) {
            let pose = pose_of(art, i, o);
            match best.iter_mut().find(|b| b.0 == o.label) {
                Some(b) if o.score > b.1 => (b.1, b.2) = (o.score, pose),
                Some(_) => {}
                None => best.push((o.label, o.score, pose)),
            }
        }
    }
    best.sort_by(|a, b| b.1.total_cmp(&a.1));
    if best.is_empty() {
        return "no object the detector knows".into();
    }
    best.iter()
        .take(LISTED)
        .map(|(l, s, pose)| match pose.map(Pose::parts) {
            Some(parts) if !parts.is_empty() => format!("{l} {s:.2} ({})", parts.join(", ")),
            _ => format!("{l} {s:.2}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The pose read for object `o` of picture `i`, if it is a person whose
/// pose was read.
fn pose_of<'a>(art: &'a Artefacts, i: usize, o: &SeenObject) -> Option<&'a Pose> {
    art.poses
        .get(i)?
        .iter()
        .find(|p| o.label == "person" && p.person == o.region)
}

/// Per picture: the objects seen, with their boxes, and a person's pose
/// (the parts seen and the 17 keypoints) where it was read.
pub(crate) fn objects_evidence(art: &Artefacts) -> Vec<Value> {
    art.objects
        .iter()
        .enumerate()
        .map(|(i, objects)| {
            Value::Array(
                objects
                    .iter()
                    .take(LISTED)
                    .map(|o| {
                        let mut seen = json!({"label": o.label, "score": o.score, "box": o.region});
                        if let Some(pose) = pose_of(art, i, o) {
                            seen["pose"] =
                                json!({"parts": pose.parts(), "keypoints": pose.keypoints});
                        }
                        seen
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The people counted, in words.
fn people_seen(counts: &[u32]) -> String {
    match counts {
        [n] => format!("{n} seen"),
        _ => {
            let (lo, hi) = (
                counts.iter().min().copied().unwrap_or(0),
                counts.iter().max().copied().unwrap_or(0),
            );
            format!("{lo}–{hi} seen across the frames")
        }
    }
}

#[cfg(test)]
mod tests {
    use bonafide_core::{MediaType, PersonCount, Region, SeenObject, Task, TaskRequirements};

    use super::*;
    use crate::test_support::{context, upload};

    fn art(frames: Vec<Vec<(&'static str, f32)>>) -> Artefacts {
        let mut art = Artefacts::empty(MediaType::Jpeg, bytes::Bytes::new());
        art.objects = frames
            .into_iter()
            .map(|objects| {
                objects
                    .into_iter()
                    .map(|(label, score)| SeenObject {
                        label,
                        score,
                        region: Region {
                            x: 0,
                            y: 0,
                            w: 10,
                            h: 10,
                        },
                    })
                    .collect()
            })
            .collect();
        art
    }

    async fn findings(art: &Artefacts, requirements: TaskRequirements) -> Vec<(f32, String)> {
        findings_for(art, "A task", requirements).await
    }

    async fn findings_for(
        art: &Artefacts,
        instructions: &str,
        requirements: TaskRequirements,
    ) -> Vec<(f32, String)> {
        let task = Task {
            id: "t".into(),
            title: "A task".into(),
            instructions: instructions.into(),
            allowed_kinds: vec![],
            requirements,
        };
        let detector = TaskObjects::new(Arc::new(Vocabulary::new(&[])));
        let up = upload();
        let ctx = context(&up, &task);
        detector
            .analyze(art, &ctx)
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.score, f.message))
            .collect()
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[tokio::test]
    async fn a_required_object_must_be_seen() {
        let req = TaskRequirements {
            must_show: words(&["puppy"]),
            ..Default::default()
        };
        assert!(
            findings(&art(vec![vec![("dog", 0.9)]]), req.clone())
                .await
                .is_empty()
        );
        let missed = findings(&art(vec![vec![("cat", 0.95)]]), req.clone()).await;
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].0, 0.6);
        assert!(missed[0].1.contains("cat 0.95"), "{missed:?}");
        // A video showing it in one frame of four does not show it.
        let video = art(vec![vec![("dog", 0.9)], vec![], vec![], vec![("cat", 0.8)]]);
        let missed = findings(&video, req).await;
        assert!(missed[0].1.contains("25% of the frames"), "{missed:?}");
    }

    #[tokio::test]
    async fn a_forbidden_object_seen_plainly_is_rejected() {
        let req = TaskRequirements {
            must_not_show: words(&["dog"]),
            ..Default::default()
        };
        assert_eq!(
            findings(&art(vec![vec![("dog", 0.9)]]), req.clone()).await[0].0,
            0.9
        );
        assert_eq!(
            findings(&art(vec![vec![("dog", 0.6)]]), req.clone()).await[0].0,
            0.6
        );
        assert!(
            findings(&art(vec![vec![("dog", 0.4)]]), req)
                .await
                .is_empty()
        );
    }

    #[tokio::test]
    async fn people_are_counted() {
        let req = TaskRequirements {
            person_count: Some(PersonCount {
                min: Some(1),
                max: Some(1),
            }),
            ..Default::default()
        };
        assert!(
            findings(&art(vec![vec![("person", 0.9)]]), req.clone())
                .await
                .is_empty()
        );
        let two = art(vec![vec![
            ("person", 0.9),
            ("person", 0.7),
            ("person", 0.3),
        ]]);
        let found = findings(&two, req.clone()).await;
        assert!(
            found[0].1.contains("asks for 1 people; 2 seen"),
            "{found:?}"
        );
        assert_eq!(findings(&art(vec![vec![]]), req).await.len(), 1);
    }

    #[tokio::test]
    async fn a_task_about_yourself_needs_a_person_in_most_frames() {
        let trash = "A video of yourself taking out the trash.";
        let none = TaskRequirements::default();
        let with_person = art(vec![vec![("person", 0.9)], vec![("person", 0.8)], vec![]]);
        assert!(
            findings_for(&with_person, trash, none.clone())
                .await
                .is_empty()
        );
        let dog = art(vec![
            vec![("dog", 0.9)],
            vec![("dog", 0.9)],
            vec![("person", 0.9)],
        ]);
        let found = findings_for(&dog, trash, none.clone()).await;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 0.6);
        assert!(
            found[0].1.contains("\"yourself\"") && found[0].1.contains("33% of the frames"),
            "{found:?}"
        );
        // Not without the word ("your dog" is not "yourself") …
        assert!(
            findings_for(&dog, "A video of your dog.", none)
                .await
                .is_empty()
        );
        // … and an explicit count wins over the word.
        let any = TaskRequirements {
            person_count: Some(PersonCount {
                min: Some(0),
                max: None,
            }),
            ..Default::default()
        };
        assert!(findings_for(&dog, trash, any).await.is_empty());
    }
}
