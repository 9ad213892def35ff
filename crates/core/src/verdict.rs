use serde::{Deserialize, Serialize};

/// The outcome of screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Authentic, original, on task: let it through.
    Accept,
    /// Unsure: a person decides.
    Review,
    /// Fails screening.
    Reject,
}

impl Decision {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Review => "review",
            Self::Reject => "reject",
        }
    }

    /// Parses [`Decision::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accept" => Some(Self::Accept),
            "review" => Some(Self::Review),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }
}

/// One finding that decided the verdict, in plain words.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reason {
    /// The finding's code.
    pub code: String,
    /// The finding's score.
    pub score: f32,
    /// Why, in plain words.
    pub message: String,
}

/// The policy's decision on one upload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Verdict {
    /// accept / review / reject.
    pub decision: Decision,
    /// The findings that decided it (empty for a clean accept).
    pub reasons: Vec<Reason>,
    /// Version string of the policy that decided.
    pub policy_version: String,
}
