//! The review queue's closed sets of values: why an item is queued, where
//! it stands, and what a reviewer decided. Each is stored as its
//! `as_str` text and serialised to JSON the same way.

/// Why an item is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOrigin {
    /// The policy said `review`.
    Review,
    /// A quality-control sample of an automatic accept or reject.
    Qa,
    /// A second reviewer's look at an item someone already decided.
    Second,
}

impl ReviewOrigin {
    /// Stable name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Review => "review",
            Self::Qa => "qa",
            Self::Second => "second",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "review" => Some(Self::Review),
            "qa" => Some(Self::Qa),
            "second" => Some(Self::Second),
            _ => None,
        }
    }
}

/// A reviewer's call on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HumanDecision {
    /// The upload is fine.
    Accept,
    /// The upload is refused (with a reason code).
    Reject,
}

impl HumanDecision {
    /// Stable name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Reject => "reject",
        }
    }

    /// Parses [`HumanDecision::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accept" => Some(Self::Accept),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }
}

/// Where a queued item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Waiting for a reviewer, or held by one under a lease.
    Open,
    /// A reviewer decided it.
    Decided,
}

impl ItemState {
    /// Stable name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Decided => "decided",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "decided" => Some(Self::Decided),
            _ => None,
        }
    }
}
