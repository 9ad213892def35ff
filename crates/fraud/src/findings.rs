//! `fraud.*` findings for one upload, read from the graph once the upload's
//! own event is in it.

use bonafide_core::Finding;
use serde_json::json;

use crate::{
    event::UploadEvent,
    graph::{IdentityGraph, LinkKind},
    risk::FLAG_AT,
};

/// The detector name the findings carry.
pub const DETECTOR: &str = "fraud_graph";

/// Finding codes.
pub mod codes {
    /// The upload's device is used by several accounts.
    pub const SHARED_DEVICE: &str = "fraud.shared_device";
    /// The upload's payout account is shared with other accounts.
    pub const SHARED_PAYOUT: &str = "fraud.shared_payout";
    /// Several accounts of the cluster upload copies of each other's content.
    pub const DUPLICATE_RING: &str = "fraud.duplicate_ring";
    /// The contributor uploads far faster than the population.
    pub const VELOCITY: &str = "fraud.velocity";
    /// The contributor's cluster is risky as a whole.
    pub const CLUSTER_RISK: &str = "fraud.cluster_risk";

    /// Every code above.
    pub const ALL: &[&str] = &[
        SHARED_DEVICE,
        SHARED_PAYOUT,
        DUPLICATE_RING,
        VELOCITY,
        CLUSTER_RISK,
    ];
}

/// Accounts on one device from which it is a finding (a couple sharing a
/// tablet is two).
const SHARED_DEVICE_AT: usize = 3;
/// Uploads in a day below which speed is never a finding.
pub const VELOCITY_MIN_UPLOADS: u32 = 30;
/// Standard deviations above the population's day that are a finding.
const VELOCITY_Z: f32 = 6.0;
/// Accounts of a cluster copying each other from which it is a ring.
const RING_AT: usize = 3;

/// The findings for `upload`, whose event the graph has applied.
pub fn for_upload(graph: &IdentityGraph, upload: &UploadEvent) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(me) = graph.index(&upload.contributor) else {
        return out;
    };
    let Some(risk) = graph.risk(&upload.contributor) else {
        return out;
    };
    let holders = |kind, value: &str| graph.holders(kind, value);
    if let Some(device) = &upload.device {
        let accounts = holders(LinkKind::Device, device);
        if accounts.len() >= SHARED_DEVICE_AT {
            out.push(
                Finding::new(
                    DETECTOR,
                    codes::SHARED_DEVICE,
                    if accounts.len() >= 6 { 0.9 } else { 0.6 },
                    format!("This device has uploaded for {} accounts.", accounts.len()),
                )
                .with_evidence(
                    json!({"device_id": device, "device_model": graph.device_model(device), "accounts": accounts, "cluster": risk.cluster}),
                ),
            );
        }
    }
    if let Some(payout) = &upload.payout {
        let accounts = holders(LinkKind::Payout, payout);
        if accounts.len() >= 2 {
            out.push(
                Finding::new(
                    DETECTOR,
                    codes::SHARED_PAYOUT,
                    if accounts.len() >= 3 { 0.9 } else { 0.6 },
                    format!(
                        "This contributor's payout account also pays {} other account(s).",
                        accounts.len() - 1
                    ),
                )
                .with_evidence(
                    json!({"payout_hash": payout, "accounts": accounts, "cluster": risk.cluster}),
                ),
            );
        }
    }
    if let Some(ring) = risk.factors.iter().find(|f| f.name == "duplicate_ring")
        && ring.value as usize >= RING_AT
    {
        out.push(
            Finding::new(
                DETECTOR,
                codes::DUPLICATE_RING,
                0.8,
                format!(
                    "{} accounts linked to this contributor upload copies of each other's content.",
                    ring.value
                ),
            )
            .with_evidence(json!({"cluster": risk.cluster, "accounts": ring.value})),
        );
    }
    let node = &graph.nodes[me as usize];
    let (z, today) = (node.velocity_now, node.recent.len() as u32);
    if today >= VELOCITY_MIN_UPLOADS && z >= VELOCITY_Z {
        out.push(
            Finding::new(
                DETECTOR,
                codes::VELOCITY,
                if z >= 20.0 { 0.8 } else { 0.6 },
                format!(
                    "{today} uploads in the last day, {z:.0} standard deviations above the population's pace."
                ),
            )
            .with_evidence(json!({"uploads_last_day": today, "z": z})),
        );
    }
    if risk.score >= FLAG_AT {
        let reasons: Vec<&str> = risk.factors.iter().map(|f| f.detail.as_str()).collect();
        out.push(
            Finding::new(
                DETECTOR,
                codes::CLUSTER_RISK,
                risk.score as f32,
                format!(
                    "Belongs to a risky cluster of {} accounts: {}.",
                    risk.members,
                    reasons.join("; ")
                ),
            )
            .with_evidence(serde_json::to_value(&risk).unwrap_or_default()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ContentLink, GraphConfig, GraphEvent};

    fn up(who: &str, at_min: i64) -> UploadEvent {
        UploadEvent::new(who, at_min * 60_000)
    }

    /// Applies the events; the findings of the last one.
    fn last(events: Vec<UploadEvent>) -> Vec<Finding> {
        let mut g = IdentityGraph::new(GraphConfig::default());
        for e in &events {
            g.apply(&GraphEvent::Upload(e.clone()));
        }
        for_upload(&g, events.last().unwrap())
    }

    fn codes_of(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_device_shared_by_three_accounts() {
        let on = |who: &str, t| UploadEvent {
            device: Some("phone".into()),
            ..up(who, t)
        };
        assert!(
            last(vec![on("a", 0), on("b", 1)]).is_empty(),
            "two is a couple"
        );
        let f = last(vec![on("a", 0), on("b", 1), on("c", 2)]);
        let shared = f.iter().find(|f| f.code == codes::SHARED_DEVICE).unwrap();
        assert_eq!(
            shared.evidence["accounts"],
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(shared.score, 0.6);
    }

    #[test]
    fn a_payout_account_paying_others() {
        let paid = |who: &str, t: i64| UploadEvent {
            payout: Some("iban".into()),
            ..up(who, t * 1000)
        };
        let two = last(vec![paid("a", 0), paid("b", 1)]);
        assert_eq!(codes_of(&two), [codes::SHARED_PAYOUT]);
        assert_eq!(two[0].score, 0.6);
        let three = last(vec![paid("a", 0), paid("b", 1), paid("c", 2)]);
        let shared = three
            .iter()
            .find(|f| f.code == codes::SHARED_PAYOUT)
            .unwrap();
        assert_eq!(shared.score, 0.9);
        assert!(codes_of(&three).contains(&codes::CLUSTER_RISK), "{three:?}");
    }

    #[test]
    fn accounts_passing_photos_around() {
        let copy = |who: &str, t, key: &str, owner: &str| UploadEvent {
            content: vec![ContentLink {
                key: key.into(),
                owner: Some(owner.into()),
            }],
            ..up(who, t)
        };
        let events = vec![
            copy("b", 1, "upload:1", "a"),
            copy("c", 2, "upload:1", "a"),
            copy("a", 3, "upload:2", "b"),
            copy("c", 4, "upload:2", "b"),
            copy("b", 5, "upload:3", "c"),
        ];
        let f = last(events);
        assert!(codes_of(&f).contains(&codes::DUPLICATE_RING), "{f:?}");
        // One person whose photos two others stole is not a ring.
        let stolen = last(vec![
            copy("x", 1, "upload:9", "owner"),
            copy("y", 2, "upload:9", "owner"),
        ]);
        assert!(
            !codes_of(&stolen).contains(&codes::DUPLICATE_RING),
            "{stolen:?}"
        );
    }

    #[test]
    fn uploads_far_faster_than_the_population() {
        // A population uploading a few a day, then one account 60 in an hour.
        let mut events: Vec<UploadEvent> = (0..2000)
            .map(|i| up(&format!("p{}", i % 500), i * 5))
            .collect();
        let at = 2000 * 5;
        events.extend((0..60).map(|i| up("burst", at + i)));
        let f = last(events);
        let v = f
            .iter()
            .find(|f| f.code == codes::VELOCITY)
            .unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(v.evidence["uploads_last_day"], 60);
        // The same pace spread over weeks is nobody's business.
        let calm: Vec<UploadEvent> = (0..60i64).map(|i| up("calm", i * 24 * 60)).collect();
        assert!(last(calm).is_empty());
    }

    #[test]
    fn a_risky_cluster_lists_its_factors() {
        let on = |who: &str, t| UploadEvent {
            device: Some("farm".into()),
            ..up(who, t)
        };
        let f = last((0..6).map(|i| on(&format!("f{i}"), i)).collect());
        let risk = f.iter().find(|f| f.code == codes::CLUSTER_RISK).unwrap();
        assert!(risk.score >= 0.9, "{risk:?}");
        assert_eq!(risk.evidence["members"], 6);
        assert_eq!(risk.evidence["factors"][0]["name"], "accounts_per_device");
        assert!(
            risk.message.contains("6 accounts on one device"),
            "{}",
            risk.message
        );
    }
}
