//! The identity graph: contributors, what they share, and the clusters
//! those links make.
//!
//! Hard links join two contributors at once: the same device id, the same
//! payout account. Soft links need repetition: two contributors on the
//! same IP block within a window of each other, several times (a block
//! busier than a home — carrier NAT, an office — links no one); copies of
//! the same content, more than once. Clusters are a union-find whose root
//! is always the member seen first (ties by id), so the same events give
//! the same cluster ids in any process, after any restart.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::event::{GraphEvent, UploadEvent};

/// Thresholds of the soft links and the velocity window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphConfig {
    /// Two uploads from one IP block this close in time co-occur.
    pub ip_window_ms: i64,
    /// Co-occurrences on one block that link two contributors.
    pub ip_links_after: u32,
    /// A block more contributors than this have used is a shared network
    /// (carrier NAT, office, café) and links no one from then on.
    pub ip_block_max_accounts: usize,
    /// Pieces of shared content that link two contributors.
    pub content_links_after: u32,
    /// A piece copied by more accounts than this is a template or meme and
    /// links no one.
    pub content_max_accounts: usize,
    /// Uploads are counted over this trailing window for velocity.
    pub velocity_window_ms: i64,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            ip_window_ms: 6 * 3_600_000,
            ip_links_after: 3,
            ip_block_max_accounts: 12,
            content_links_after: 2,
            content_max_accounts: 50,
            velocity_window_ms: 24 * 3_600_000,
        }
    }
}

/// How two contributors are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The same device id.
    Device,
    /// The same payout account.
    Payout,
    /// The same IP block at the same times, repeatedly.
    IpBlock,
    /// Copies of the same content.
    Content,
}

impl LinkKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Device => "device",
            Self::Payout => "payout",
            Self::IpBlock => "ip_block",
            Self::Content => "content",
        }
    }
}

/// What the graph knows of one contributor.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) first_seen: i64,
    pub(crate) uploads: u64,
    /// Upload times within the velocity window.
    pub(crate) recent: VecDeque<i64>,
    /// The largest velocity z-score seen, and the count behind it.
    pub(crate) peak_velocity: (f32, u32),
    /// The velocity z-score at the latest upload.
    pub(crate) velocity_now: f32,
    /// Uploads that copied someone else's content.
    pub(crate) copies: u32,
    pub(crate) verdicts: u32,
    pub(crate) rejects: u32,
    pub(crate) devices: Vec<u32>,
    pub(crate) payouts: Vec<u32>,
    /// Contributors this one has a soft link with (any count), and how.
    pub(crate) partners: Vec<(u32, LinkKind)>,
}

/// One IP block: its uploads within the window, and the accounts ever
/// seen on it (kept up to one past the limit: past it, the block is busy).
#[derive(Debug, Default)]
struct Block {
    recent: VecDeque<(u32, i64)>,
    accounts: Vec<u32>,
}

/// The graph. Feed it every event in log order with [`IdentityGraph::apply`].
#[derive(Debug, Default)]
pub struct IdentityGraph {
    config: GraphConfig,
    pub(crate) nodes: Vec<Node>,
    by_id: HashMap<String, u32>,
    /// Devices and payout accounts: attribute → contributors, in order seen.
    pub(crate) attrs: Vec<(LinkKind, String, Vec<u32>)>,
    attr_ids: HashMap<(LinkKind, String), u32>,
    /// The make and model a device id was first reported with.
    device_models: HashMap<u32, String>,
    blocks: HashMap<String, Block>,
    /// Content piece → contributors who have it.
    content: HashMap<String, Vec<u32>>,
    /// Soft-link counts per pair (lower index first), with when the last
    /// one was counted.
    pub(crate) pairs: HashMap<(u32, u32, LinkKind), (u32, i64)>,
    parent: Vec<u32>,
    /// Root → members.
    pub(crate) members: HashMap<u32, Vec<u32>>,
    /// Running location and scale (mean absolute deviation) of the
    /// trailing upload count at each upload: the population's norm for
    /// velocity. Updates are clipped, so bursts do not widen it.
    norm: (f64, f64),
    events: u64,
}

/// A member of a cluster, for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberView {
    /// Contributor id.
    pub contributor: String,
    /// First upload (Unix ms).
    pub first_seen_ms: i64,
    /// Uploads seen.
    pub uploads: u64,
    /// Verdicts seen, and how many rejected.
    pub verdicts: u32,
    /// Rejected verdicts.
    pub rejects: u32,
}

/// A cluster with its members and the links between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterView {
    /// Stable id.
    pub id: String,
    /// Members, in the order first seen.
    pub members: Vec<MemberView>,
    /// `(a, b, kind, evidence)`: who is linked to whom, how, and through
    /// what (a hashed payout account, a device id, a block, a count).
    pub links: Vec<(String, String, LinkKind, String)>,
}

fn cluster_id(root_contributor: &str) -> String {
    let digest = Sha256::digest(root_contributor.as_bytes());
    format!("cl_{}", &hex::encode(digest)[..16])
}

impl IdentityGraph {
    /// An empty graph.
    pub fn new(config: GraphConfig) -> Self {
        Self {
            config,
            norm: (1.0, 1.0),
            ..Default::default()
        }
    }

    /// Events applied so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Contributors known.
    pub fn contributors(&self) -> usize {
        self.nodes.len()
    }

    /// The ids of the contributors known, in the order first seen.
    pub fn contributor_ids(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.id.as_str())
    }

    /// Applies one event.
    pub fn apply(&mut self, event: &GraphEvent) {
        self.events += 1;
        match event {
            GraphEvent::Upload(u) => self.upload(u),
            GraphEvent::Verdict {
                contributor,
                rejected,
            } => {
                if let Some(&i) = self.by_id.get(contributor) {
                    let n = &mut self.nodes[i as usize];
                    n.verdicts += 1;
                    n.rejects += u32::from(*rejected);
                }
            }
        }
    }

    fn node(&mut self, id: &str, at_ms: i64) -> u32 {
        if let Some(&i) = self.by_id.get(id) {
            return i;
        }
        let i = self.nodes.len() as u32;
        self.nodes.push(Node {
            id: id.to_owned(),
            first_seen: at_ms,
            uploads: 0,
            recent: VecDeque::new(),
            peak_velocity: (0.0, 0),
            velocity_now: 0.0,
            copies: 0,
            verdicts: 0,
            rejects: 0,
            devices: Vec::new(),
            payouts: Vec::new(),
            partners: Vec::new(),
        });
        self.by_id.insert(id.to_owned(), i);
        self.parent.push(i);
        self.members.insert(i, vec![i]);
        i
    }

    fn upload(&mut self, u: &UploadEvent) {
        let me = self.node(&u.contributor, u.at_ms);
        self.count_velocity(me, u.at_ms);
        if let Some(device) = &u.device {
            let attr = self.hard_link(me, LinkKind::Device, device);
            if let Some(model) = &u.device_model {
                self.device_models
                    .entry(attr)
                    .or_insert_with(|| model.clone());
            }
        }
        if let Some(payout) = &u.payout {
            self.hard_link(me, LinkKind::Payout, payout);
        }
        if let Some(block) = &u.ip_block {
            self.ip_cooccur(me, block, u.at_ms);
        }
        if !u.content.is_empty() {
            self.nodes[me as usize].copies += 1;
        }
        for link in &u.content {
            if let Some(owner) = &link.owner {
                let o = self.node(owner, u.at_ms);
                self.share_content(o, &link.key);
            }
            self.share_content(me, &link.key);
        }
    }

    fn count_velocity(&mut self, me: u32, at: i64) {
        let window = self.config.velocity_window_ms;
        let n = &mut self.nodes[me as usize];
        n.uploads += 1;
        n.recent.push_back(at);
        while n.recent.front().is_some_and(|&t| t < at - window) {
            n.recent.pop_front();
        }
        let count = n.recent.len() as f64;
        // Exponentially weighted over the last ~10k uploads; a deviation
        // counts at most five scales, so one burst cannot move the norm.
        let (location, scale) = self.norm;
        let alpha = 1e-4;
        let s = scale.max(1.0);
        let delta = count - location;
        // The mean absolute deviation of a normal law is 0.8 σ.
        let z = (delta / (1.25 * s)) as f32;
        let clipped = delta.clamp(-5.0 * s, 5.0 * s);
        self.norm = (
            location + alpha * clipped,
            scale + alpha * (clipped.abs() - scale),
        );
        n.velocity_now = z;
        if z > n.peak_velocity.0 {
            n.peak_velocity = (z, count as u32);
        }
    }

    /// Links `me` to everyone holding the same device or payout account;
    /// returns the attribute's index.
    fn hard_link(&mut self, me: u32, kind: LinkKind, value: &str) -> u32 {
        let key = (kind, value.to_owned());
        let attr = match self.attr_ids.get(&key) {
            Some(&a) => a,
            None => {
                let a = self.attrs.len() as u32;
                self.attrs.push((kind, value.to_owned(), Vec::new()));
                self.attr_ids.insert(key, a);
                a
            }
        };
        let holders = &mut self.attrs[attr as usize].2;
        if holders.contains(&me) {
            return attr;
        }
        holders.push(me);
        let first = holders[0];
        let n = &mut self.nodes[me as usize];
        match kind {
            LinkKind::Device => n.devices.push(attr),
            _ => n.payouts.push(attr),
        }
        self.union(me, first);
        attr
    }

    fn ip_cooccur(&mut self, me: u32, block: &str, at: i64) {
        let (window, max) = (self.config.ip_window_ms, self.config.ip_block_max_accounts);
        let b = self.blocks.entry(block.to_owned()).or_default();
        if b.accounts.len() <= max && !b.accounts.contains(&me) {
            b.accounts.push(me);
        }
        if b.accounts.len() > max {
            // A shared network (carrier NAT, an office): forget its uploads.
            b.recent.clear();
            return;
        }
        while b.recent.front().is_some_and(|&(_, t)| t < at - window) {
            b.recent.pop_front();
        }
        b.recent.push_back((me, at));
        let mut others: Vec<u32> = b.recent.iter().map(|&(c, _)| c).collect();
        others.sort_unstable();
        others.dedup();
        for other in others.into_iter().filter(|&o| o != me) {
            // One co-occurrence per window: an afternoon of uploads side by
            // side is one occasion, not twenty.
            self.soft_link(
                me,
                other,
                LinkKind::IpBlock,
                self.config.ip_links_after,
                Some(at),
            );
        }
    }

    fn share_content(&mut self, who: u32, key: &str) {
        let holders = self.content.entry(key.to_owned()).or_default();
        if holders.contains(&who) {
            return;
        }
        holders.push(who);
        if holders.len() > self.config.content_max_accounts {
            return;
        }
        let others: Vec<u32> = holders.iter().copied().filter(|&o| o != who).collect();
        for other in others {
            self.soft_link(
                who,
                other,
                LinkKind::Content,
                self.config.content_links_after,
                None,
            );
        }
    }

    /// Counts one more occasion of a soft link (at most one per IP window
    /// when `at` is given) and joins the pair once there are `after`.
    fn soft_link(&mut self, a: u32, b: u32, kind: LinkKind, after: u32, at: Option<i64>) {
        let window = self.config.ip_window_ms;
        let (count, last) = self
            .pairs
            .entry((a.min(b), a.max(b), kind))
            .or_insert((0, i64::MIN));
        if *count == 0 {
            self.nodes[a as usize].partners.push((b, kind));
            self.nodes[b as usize].partners.push((a, kind));
        }
        if let Some(at) = at {
            if *last != i64::MIN && at - *last < window {
                return;
            }
            *last = at;
        }
        *count += 1;
        if *count >= after {
            self.union(a, b);
        }
    }

    /// The root of `i`'s cluster (with path halving).
    pub(crate) fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let grand = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grand;
            i = grand;
        }
        i
    }

    /// The root without compressing (for read-only views).
    pub(crate) fn root(&self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            i = self.parent[i as usize];
        }
        i
    }

    fn key(&self, i: u32) -> (i64, &str) {
        let n = &self.nodes[i as usize];
        (n.first_seen, n.id.as_str())
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        // The earliest-seen member stays the root: the cluster id does
        // not depend on the order links were found in.
        let (root, child) = if self.key(ra) <= self.key(rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[child as usize] = root;
        let moved = self.members.remove(&child).unwrap_or_default();
        self.members.entry(root).or_default().extend(moved);
    }

    /// The contributors holding a device or payout account, in the order
    /// they were seen with it.
    pub fn holders(&self, kind: LinkKind, value: &str) -> Vec<String> {
        self.attr_ids
            .get(&(kind, value.to_owned()))
            .map(|&a| {
                self.attrs[a as usize]
                    .2
                    .iter()
                    .map(|&i| self.nodes[i as usize].id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The make and model a device id was reported with, if any.
    pub fn device_model(&self, device: &str) -> Option<&str> {
        let attr = self.attr_ids.get(&(LinkKind::Device, device.to_owned()))?;
        self.device_models.get(attr).map(String::as_str)
    }

    /// The index of a contributor.
    pub(crate) fn index(&self, contributor: &str) -> Option<u32> {
        self.by_id.get(contributor).copied()
    }

    /// The cluster id of a contributor (a singleton has one too).
    pub fn cluster_of(&self, contributor: &str) -> Option<String> {
        let i = self.index(contributor)?;
        Some(cluster_id(&self.nodes[self.root(i) as usize].id))
    }

    /// Members of `i`'s cluster, in the order first seen.
    pub(crate) fn cluster_members(&self, i: u32) -> Vec<u32> {
        let mut members = self.members.get(&self.root(i)).cloned().unwrap_or_default();
        members.sort_by(|&a, &b| self.key(a).cmp(&self.key(b)));
        members
    }

    /// Every cluster of two or more, as (id, a member's index).
    pub(crate) fn clusters(&self) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = self
            .members
            .iter()
            .filter(|(_, m)| m.len() > 1)
            .map(|(&root, _)| (cluster_id(&self.nodes[root as usize].id), root))
            .collect();
        out.sort();
        out
    }

    /// Finds a cluster by id.
    pub(crate) fn cluster_root(&self, id: &str) -> Option<u32> {
        self.members
            .keys()
            .copied()
            .find(|&root| cluster_id(&self.nodes[root as usize].id) == id)
    }

    /// A cluster's members and the links between them.
    pub fn cluster(&self, id: &str) -> Option<ClusterView> {
        let root = self.cluster_root(id)?;
        let members = self.cluster_members(root);
        let set: std::collections::HashSet<u32> = members.iter().copied().collect();
        let inside = |i: &u32| set.contains(i);
        let name = |i: u32| self.nodes[i as usize].id.clone();
        let mut links = Vec::new();
        for (attr, (kind, value, holders)) in self.attrs.iter().enumerate() {
            let held: Vec<u32> = holders.iter().copied().filter(inside).collect();
            let evidence = match self.device_models.get(&(attr as u32)) {
                Some(model) => format!("{value} ({model})"),
                None => value.clone(),
            };
            for pair in held.windows(2) {
                links.push((name(pair[0]), name(pair[1]), *kind, evidence.clone()));
            }
        }
        let mut soft: Vec<(u32, u32, LinkKind)> = members
            .iter()
            .flat_map(|&m| {
                self.nodes[m as usize]
                    .partners
                    .iter()
                    .filter(move |(o, _)| m < *o && inside(o))
                    .map(move |&(o, kind)| (m, o, kind))
            })
            .collect();
        soft.sort_unstable();
        for (a, b, kind) in soft {
            let (count, _) = self.pairs[&(a, b, kind)];
            links.push((name(a), name(b), kind, format!("{count} times")));
        }
        Some(ClusterView {
            id: id.to_owned(),
            members: members
                .iter()
                .map(|&i| {
                    let n = &self.nodes[i as usize];
                    MemberView {
                        contributor: n.id.clone(),
                        first_seen_ms: n.first_seen,
                        uploads: n.uploads,
                        verdicts: n.verdicts,
                        rejects: n.rejects,
                    }
                })
                .collect(),
            links,
        })
    }
}
