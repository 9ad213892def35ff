//! Risk of a contributor's cluster, from its shape: each factor is a
//! measured value mapped to 0–1 and weighted; the score is the chance that
//! at least one of them is real (`1 − Π(1 − weight·factor)`), and the
//! factors are listed with what each contributed, largest first.

use serde::Serialize;

use crate::graph::{IdentityGraph, LinkKind};

/// One reason a cluster is risky.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Stable name, e.g. `accounts_per_device`.
    pub name: &'static str,
    /// The measured value (accounts, z-score, share).
    pub value: f64,
    /// What it adds to the score on its own (weight × its 0–1 level).
    pub contribution: f64,
    /// The value in words.
    pub detail: String,
}

/// A contributor's risk: their cluster's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    /// The cluster's id.
    pub cluster: String,
    /// Its size.
    pub members: usize,
    /// 0–1.
    pub score: f64,
    /// The factors that drive it, largest first (zero ones left out).
    pub factors: Vec<Factor>,
}

/// A cluster at or above this is flagged (`fraud.cluster_risk`).
pub const FLAG_AT: f64 = 0.5;

/// How many accounts arrived within one day of each other, at most.
fn largest_burst(mut first_seen: Vec<i64>) -> usize {
    first_seen.sort_unstable();
    let day = 24 * 3_600_000;
    let mut best = 0;
    let mut start = 0;
    for end in 0..first_seen.len() {
        while first_seen[end] - first_seen[start] > day {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

impl IdentityGraph {
    /// Accounts that copied content, among those joined to `members` by
    /// shared content (any count): a ring passes photos around, while the
    /// owner of photos others stole has only ever been copied.
    fn copying_ring(&self, members: &[u32]) -> usize {
        let mut seen: std::collections::HashSet<u32> = members.iter().copied().collect();
        let mut queue: Vec<u32> = members.to_vec();
        // Bounded: a ring is small; a giant component says nothing more.
        while let Some(i) = queue.pop() {
            for &(o, kind) in &self.nodes[i as usize].partners {
                if kind == LinkKind::Content && seen.len() < 500 && seen.insert(o) {
                    queue.push(o);
                }
            }
        }
        seen.iter()
            .filter(|&&i| {
                let n = &self.nodes[i as usize];
                n.copies > 0 && n.partners.iter().any(|(_, k)| *k == LinkKind::Content)
            })
            .count()
    }

    /// The risk of `contributor`'s cluster, or `None` if never seen.
    pub fn risk(&self, contributor: &str) -> Option<Risk> {
        let me = self.index(contributor)?;
        let members = self.cluster_members(me);
        let set: std::collections::HashSet<u32> = members.iter().copied().collect();
        let inside = |i: &u32| set.contains(i);
        let mut factors = Vec::new();
        let mut add = |name: &'static str, value: f64, level: f64, weight: f64, detail: String| {
            let contribution = weight * level.clamp(0.0, 1.0);
            if contribution > 0.0 {
                factors.push(Factor {
                    name,
                    value,
                    contribution,
                    detail,
                });
            }
        };

        let most_holders = |kind: LinkKind| {
            members
                .iter()
                .flat_map(|&m| {
                    let n = &self.nodes[m as usize];
                    if kind == LinkKind::Device {
                        n.devices.clone()
                    } else {
                        n.payouts.clone()
                    }
                })
                .map(|a| self.attrs[a as usize].2.len())
                .max()
                .unwrap_or(0)
        };
        let per_device = most_holders(LinkKind::Device);
        add(
            "accounts_per_device",
            per_device as f64,
            (per_device as f64 - 1.0) / 4.0,
            0.8,
            format!("{per_device} accounts on one device"),
        );
        let per_payout = most_holders(LinkKind::Payout);
        add(
            "accounts_per_payout",
            per_payout as f64,
            (per_payout as f64 - 1.0) / 2.0,
            0.9,
            format!("{per_payout} accounts paid into one account"),
        );
        let hard_linked = members
            .iter()
            .filter(|&&m| {
                let n = &self.nodes[m as usize];
                n.devices.iter().chain(&n.payouts).any(|&a| {
                    self.attrs[a as usize]
                        .2
                        .iter()
                        .any(|o| *o != m && inside(o))
                })
            })
            .count();
        add(
            "accounts_sharing_devices_or_payouts",
            hard_linked as f64,
            (hard_linked as f64 - 2.0) / 4.0,
            0.7,
            format!("{hard_linked} accounts share a device or payout account with another member"),
        );
        let ring = self.copying_ring(&members);
        add(
            "duplicate_ring",
            ring as f64,
            (ring as f64 - 1.0) / 3.0,
            0.8,
            format!("{ring} accounts upload copies of each other's content"),
        );
        let devices = members
            .iter()
            .map(|&m| self.nodes[m as usize].devices.len())
            .max()
            .unwrap_or(0);
        add(
            "devices_per_account",
            devices as f64,
            (devices as f64 - 3.0) / 5.0,
            0.5,
            format!("{devices} devices behind one account"),
        );
        let (z, count) = members
            .iter()
            .map(|&m| self.nodes[m as usize].peak_velocity)
            .fold(
                (0.0f32, 0u32),
                |best, v| if v.0 > best.0 { v } else { best },
            );
        if count >= crate::findings::VELOCITY_MIN_UPLOADS {
            add(
                "velocity",
                f64::from(z),
                (f64::from(z) - 6.0) / 6.0,
                0.6,
                format!(
                    "{count} uploads in a day, {z:.0} standard deviations above the population"
                ),
            );
        }
        let (verdicts, rejects) = members.iter().fold((0u32, 0u32), |(v, r), &m| {
            let n = &self.nodes[m as usize];
            (v + n.verdicts, r + n.rejects)
        });
        if members.len() > 1 && verdicts >= 5 {
            let share = f64::from(rejects) / f64::from(verdicts);
            add(
                "reject_share",
                share,
                share,
                0.6,
                format!("{rejects} of the cluster's {verdicts} uploads rejected"),
            );
        }
        let burst = largest_burst(
            members
                .iter()
                .map(|&m| self.nodes[m as usize].first_seen)
                .collect(),
        );
        if members.len() >= 3 {
            add(
                "new_account_burst",
                burst as f64,
                (burst as f64 - 2.0) / 4.0,
                0.6,
                format!("{burst} of its accounts appeared within one day"),
            );
        }
        factors.sort_by(|a, b| {
            b.contribution
                .total_cmp(&a.contribution)
                .then(a.name.cmp(b.name))
        });
        let score = 1.0
            - factors
                .iter()
                .map(|f| 1.0 - f.contribution)
                .product::<f64>();
        Some(Risk {
            cluster: self.cluster_of(contributor)?,
            members: members.len(),
            score,
            factors,
        })
    }

    /// Every cluster of two or more with its risk, riskiest first.
    pub fn risky_clusters(&self, min_risk: f64) -> Vec<Risk> {
        let mut out: Vec<Risk> = self
            .clusters()
            .into_iter()
            .filter_map(|(_, root)| self.risk(&self.nodes[root as usize].id))
            .filter(|r| r.score >= min_risk)
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.cluster.cmp(&b.cluster)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GraphConfig, GraphEvent, UploadEvent};

    fn up(who: &str, at_h: i64) -> UploadEvent {
        UploadEvent::new(who, at_h * 3_600_000)
    }

    #[test]
    fn bursts_count_accounts_within_a_day() {
        let h = 3_600_000;
        assert_eq!(largest_burst(vec![0, h, 2 * h, 100 * h]), 3);
        assert_eq!(largest_burst(vec![]), 0);
    }

    #[test]
    fn a_device_farm_is_risky_and_a_couple_sharing_a_tablet_is_not() {
        let mut g = IdentityGraph::new(GraphConfig::default());
        for i in 0..6 {
            let u = UploadEvent {
                device: Some("farm-phone".into()),
                ..up(&format!("f{i}"), i)
            };
            g.apply(&GraphEvent::Upload(u));
        }
        for (who, day) in [("wife", 0), ("husband", 40)] {
            let u = UploadEvent {
                device: Some("tablet".into()),
                ..up(who, day * 24)
            };
            g.apply(&GraphEvent::Upload(u));
        }
        let farm = g.risk("f3").unwrap();
        assert!(farm.score >= FLAG_AT, "{farm:?}");
        assert_eq!(farm.factors[0].name, "accounts_per_device");
        assert_eq!(farm.members, 6);
        let couple = g.risk("wife").unwrap();
        assert!(couple.score < FLAG_AT, "{couple:?}");
        assert_eq!(couple.members, 2);
    }

    #[test]
    fn a_lone_honest_contributor_has_no_risk() {
        let mut g = IdentityGraph::new(GraphConfig::default());
        for h in 0..5 {
            let u = UploadEvent {
                device: Some("d".into()),
                payout: Some("p".into()),
                ..up("solo", h * 24)
            };
            g.apply(&GraphEvent::Upload(u));
        }
        let r = g.risk("solo").unwrap();
        assert_eq!(r.score, 0.0, "{r:?}");
        assert!(r.factors.is_empty());
    }
}
