//! The identity graph's links on small planted cases: hard links at once,
//! soft links only after repeated evidence, and cluster ids that do not
//! depend on the order links arrive in.

use bonafide_fraud::{ContentLink, GraphConfig, GraphEvent, IdentityGraph, LinkKind, UploadEvent};

fn up(who: &str, at_h: i64) -> UploadEvent {
    UploadEvent::new(who, at_h * 3_600_000)
}

fn apply(g: &mut IdentityGraph, u: UploadEvent) {
    g.apply(&GraphEvent::Upload(u));
}

#[test]
fn a_shared_device_links_at_once() {
    let mut g = IdentityGraph::new(GraphConfig::default());
    apply(
        &mut g,
        UploadEvent {
            device: Some("d1".into()),
            ..up("a", 0)
        },
    );
    apply(
        &mut g,
        UploadEvent {
            device: Some("d2".into()),
            ..up("b", 1)
        },
    );
    assert_ne!(g.cluster_of("a"), g.cluster_of("b"));
    apply(
        &mut g,
        UploadEvent {
            device: Some("d1".into()),
            ..up("b", 2)
        },
    );
    assert_eq!(g.cluster_of("a"), g.cluster_of("b"));
    let view = g.cluster(&g.cluster_of("a").unwrap()).unwrap();
    assert_eq!(view.members.len(), 2);
    assert_eq!(
        view.links,
        [("a".into(), "b".into(), LinkKind::Device, "d1".into())]
    );
}

#[test]
fn a_shared_payout_links_at_once() {
    let mut g = IdentityGraph::new(GraphConfig::default());
    apply(
        &mut g,
        UploadEvent {
            payout: Some("p".into()),
            ..up("a", 0)
        },
    );
    apply(
        &mut g,
        UploadEvent {
            payout: Some("p".into()),
            ..up("b", 100)
        },
    );
    assert_eq!(g.cluster_of("a"), g.cluster_of("b"));
}

#[test]
fn an_ip_block_links_only_repeated_overlap() {
    let mut g = IdentityGraph::new(GraphConfig::default());
    let on = |who: &str, h: i64| UploadEvent {
        ip_block: Some("10.0.0.0/24".into()),
        ..up(who, h)
    };
    // Far apart in time: never together.
    apply(&mut g, on("a", 0));
    apply(&mut g, on("b", 48));
    apply(&mut g, on("a", 96));
    assert_ne!(g.cluster_of("a"), g.cluster_of("b"));
    // Together three times: linked.
    for day in 10..13 {
        apply(&mut g, on("a", day * 24));
        apply(&mut g, on("b", day * 24 + 1));
    }
    assert_eq!(g.cluster_of("a"), g.cluster_of("b"));
}

#[test]
fn a_busy_block_links_no_one() {
    let mut g = IdentityGraph::new(GraphConfig::default());
    for round in 0..5 {
        for i in 0..20 {
            apply(
                &mut g,
                UploadEvent {
                    ip_block: Some("100.64.0.0/24".into()),
                    ..up(&format!("c{i}"), round * 24)
                },
            );
        }
    }
    assert_ne!(g.cluster_of("c0"), g.cluster_of("c1"));
}

#[test]
fn shared_content_links_after_two_pieces() {
    let mut g = IdentityGraph::new(GraphConfig::default());
    let copy = |who: &str, h: i64, key: &str| UploadEvent {
        content: vec![ContentLink {
            key: key.into(),
            owner: Some("a".into()),
        }],
        ..up(who, h)
    };
    apply(&mut g, up("a", 0));
    apply(&mut g, copy("b", 1, "upload:1"));
    assert_ne!(
        g.cluster_of("a"),
        g.cluster_of("b"),
        "one copy may be chance"
    );
    apply(&mut g, copy("b", 2, "upload:2"));
    assert_eq!(g.cluster_of("a"), g.cluster_of("b"));
}

#[test]
fn cluster_ids_do_not_depend_on_link_order() {
    let events = |order: &[(&str, &str)]| {
        let mut g = IdentityGraph::new(GraphConfig::default());
        // First sightings fixed; then the links in the given order.
        for (i, who) in ["a", "b", "c", "d"].iter().enumerate() {
            apply(&mut g, up(who, i as i64));
        }
        for (i, (who, device)) in order.iter().enumerate() {
            apply(
                &mut g,
                UploadEvent {
                    device: Some((*device).into()),
                    ..up(who, 10 + i as i64)
                },
            );
        }
        g.cluster_of("d").unwrap()
    };
    let one = events(&[("c", "x"), ("d", "x"), ("a", "y"), ("c", "y")]);
    let two = events(&[("a", "y"), ("c", "y"), ("d", "x"), ("c", "x")]);
    assert_eq!(one, two);
    // Named after the earliest member: the id `a` has on its own.
    let mut alone = IdentityGraph::new(GraphConfig::default());
    apply(&mut alone, up("a", 0));
    assert_eq!(Some(one), alone.cluster_of("a"));
}
