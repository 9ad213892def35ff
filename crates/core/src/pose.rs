//! A person's pose: where the 17 COCO keypoints of their body are, as a
//! pose estimator read them inside the box the object detector found.

use crate::Region;

/// The COCO keypoints, in the estimator's output order.
pub const KEYPOINTS: [&str; 17] = [
    "nose",
    "left eye",
    "right eye",
    "left ear",
    "right ear",
    "left shoulder",
    "right shoulder",
    "left elbow",
    "right elbow",
    "left wrist",
    "right wrist",
    "left hip",
    "right hip",
    "left knee",
    "right knee",
    "left ankle",
    "right ankle",
];

/// The body's parts as people name them, each with its keypoints'
/// indices in [`KEYPOINTS`]: what a pose says was seen of a person.
const PARTS: [(&str, &[usize]); 6] = [
    ("head", &[0, 1, 2, 3, 4]),
    ("shoulders", &[5, 6]),
    ("arms", &[7, 8]),
    ("hands", &[9, 10]),
    ("hips", &[11, 12]),
    ("legs", &[13, 14, 15, 16]),
];

/// A keypoint scored at least this is seen (MoveNet's own demos draw
/// keypoints from 0.3 up).
pub const KEYPOINT_SEEN_FROM: f32 = 0.3;

/// One keypoint: where it is in the picture's pixels and how sure the
/// estimator is that it is there.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Keypoint {
    /// Across, in the picture's pixels.
    pub x: f32,
    /// Down, in the picture's pixels.
    pub y: f32,
    /// The estimator's confidence, 0–1.
    pub score: f32,
}

/// The pose of the person in one box of a picture.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pose {
    /// The person's box (the object detector's), in the picture's pixels.
    pub person: Region,
    /// The 17 keypoints, in [`KEYPOINTS`] order.
    pub keypoints: Vec<Keypoint>,
}

impl Pose {
    /// How many keypoints are seen.
    pub fn seen(&self) -> usize {
        self.keypoints
            .iter()
            .filter(|k| k.score >= KEYPOINT_SEEN_FROM)
            .count()
    }

    /// The body parts with a keypoint seen, head to feet ("head", "arms").
    pub fn parts(&self) -> Vec<&'static str> {
        PARTS
            .iter()
            .filter(|(_, points)| {
                points.iter().any(|&i| {
                    self.keypoints
                        .get(i)
                        .is_some_and(|k| k.score >= KEYPOINT_SEEN_FROM)
                })
            })
            .map(|(name, _)| *name)
            .collect()
    }
}

/// The poses read in one picture: one per person box it was asked for.
pub type Poses = Vec<Pose>;

#[cfg(test)]
mod tests {
    use super::*;

    fn pose(scores: &[(usize, f32)]) -> Pose {
        let mut keypoints = vec![
            Keypoint {
                x: 0.0,
                y: 0.0,
                score: 0.0
            };
            17
        ];
        for &(i, s) in scores {
            keypoints[i].score = s;
        }
        Pose {
            person: Region::whole(10, 10),
            keypoints,
        }
    }

    #[test]
    fn names_the_parts_seen() {
        let p = pose(&[(0, 0.9), (9, 0.5), (15, 0.31), (12, 0.1)]);
        assert_eq!(p.seen(), 3);
        assert_eq!(p.parts(), ["head", "hands", "legs"]);
        assert!(pose(&[]).parts().is_empty());
    }
}
