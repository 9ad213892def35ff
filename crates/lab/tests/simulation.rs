//! The graph on a synthetic population with planted rings (the benchmark's
//! generator, at a test's size): rings found, look-alikes left alone, and
//! the same cluster ids when the events are replayed.

use bonafide_fraud::{GraphConfig, IdentityGraph};
use bonafide_lab::simulate::{Population, detection, generate};

fn population() -> Population {
    Population {
        contributors: 4_000,
        uploads: 60_000,
        days: 30,
        seed: 7,
    }
}

#[test]
fn planted_rings_are_found_and_families_are_not() {
    let sim = generate(&population());
    let mut graph = IdentityGraph::new(GraphConfig::default());
    for e in &sim.events {
        graph.apply(e);
    }
    let d = detection(&graph, &sim);
    assert!(d.recall >= 0.95, "{d:?}");
    assert!(d.precision >= 0.95, "{d:?}");
}

#[test]
fn a_replay_gives_the_same_clusters() {
    let sim = generate(&population());
    let build = || {
        let mut graph = IdentityGraph::new(GraphConfig::default());
        for e in &sim.events {
            graph.apply(e);
        }
        graph
    };
    let (one, two) = (build(), build());
    let ids = |g: &IdentityGraph| -> Vec<String> {
        g.risky_clusters(0.0)
            .into_iter()
            .map(|r| r.cluster)
            .collect()
    };
    assert!(!ids(&one).is_empty());
    assert_eq!(ids(&one), ids(&two));
}
