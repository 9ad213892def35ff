//! A synthetic population with planted fraud rings, for the benchmark and
//! the tests: ordinary contributors (their own phone and payout account, a
//! home network, some of them in families sharing it, many behind carrier
//! NAT), innocent look-alikes (families on one home IP, couples sharing a
//! tablet), and rings — device farms, accounts paid into one account,
//! accounts passing the same photos around, bursts of new accounts from one
//! network, and single accounts uploading at many times the normal pace.
//! Deterministic for a seed.

use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use serde::Serialize;

use bonafide_fraud::{ContentLink, GraphEvent, IdentityGraph, UploadEvent, risk::FLAG_AT};

/// How big a population to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Population {
    /// Contributors, rings included.
    pub contributors: usize,
    /// Uploads over the whole period (approximately).
    pub uploads: usize,
    /// Days the uploads span.
    pub days: u32,
    /// Random seed.
    pub seed: u64,
}

/// A kind of planted ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RingKind {
    /// Many accounts on one or two phones.
    DeviceFarm,
    /// Several accounts paid into one account.
    SharedPayout,
    /// Accounts uploading copies of the same photos.
    DuplicateContent,
    /// Accounts created together on one network.
    NewAccountBurst,
    /// One account uploading far faster than anyone.
    Velocity,
}

/// A planted ring: its kind and its accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    /// What it is.
    pub kind: RingKind,
    /// Its accounts.
    pub accounts: Vec<String>,
}

/// The events, in time order, and what was planted.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// Every upload and verdict, in time order.
    pub events: Vec<GraphEvent>,
    /// The planted rings.
    pub rings: Vec<Ring>,
}

/// How well a graph found the planted rings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Detection {
    /// Rings planted, per kind: (planted, found).
    pub per_kind: Vec<(RingKind, usize, usize)>,
    /// Rings found (half or more of their accounts flagged) of all planted.
    pub recall: f64,
    /// Flagged accounts that belong to a planted ring, of all flagged.
    pub precision: f64,
    /// Accounts flagged.
    pub flagged: usize,
    /// Of those, outside every ring.
    pub flagged_innocent: usize,
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

struct Account {
    id: String,
    devices: Vec<String>,
    payout: String,
    home: String,
    joined: i64,
}

struct Builder {
    rng: StdRng,
    end: i64,
    uploads: Vec<(i64, UploadEvent, bool)>,
    next_account: usize,
}

impl Builder {
    fn account(&mut self, joined: i64, home: String) -> Account {
        let n = self.next_account;
        self.next_account += 1;
        Account {
            id: format!("u{n:07}"),
            devices: vec![format!("dev-{n}")],
            payout: format!("pay-{n}"),
            home,
            joined,
        }
    }

    /// `count` ordinary uploads between the account's joining and the end,
    /// from home or (a fifth of them) a carrier's NAT.
    fn ordinary(&mut self, a: &Account, count: usize) {
        for _ in 0..count {
            let at = self.rng.random_range(a.joined..self.end.max(a.joined + 1));
            let block = if self.rng.random_bool(0.2) {
                format!("cgnat-{}", self.rng.random_range(0..40))
            } else {
                a.home.clone()
            };
            let device = a.devices[self.rng.random_range(0..a.devices.len())].clone();
            self.push(a, at, device, block, vec![]);
        }
    }

    fn push(
        &mut self,
        a: &Account,
        at: i64,
        device: String,
        block: String,
        content: Vec<ContentLink>,
    ) {
        let copy = !content.is_empty();
        self.uploads.push((
            at,
            UploadEvent {
                contributor: a.id.clone(),
                at_ms: at,
                device: Some(device),
                device_model: None,
                ip_block: Some(block),
                payout: Some(a.payout.clone()),
                content,
            },
            copy,
        ));
    }
}

/// Makes the population.
pub fn generate(p: &Population) -> Simulation {
    let end = i64::from(p.days) * DAY;
    let mut b = Builder {
        rng: StdRng::seed_from_u64(p.seed),
        end,
        uploads: Vec::with_capacity(p.uploads + p.uploads / 10),
        next_account: 0,
    };
    let per_account = (p.uploads / p.contributors.max(1)).max(1);
    let mut rings = Vec::new();
    // About one account in a hundred is in a ring.
    let ring_budget = p.contributors / 100;
    let mut in_rings = 0;
    let kinds = [
        RingKind::DeviceFarm,
        RingKind::SharedPayout,
        RingKind::DuplicateContent,
        RingKind::NewAccountBurst,
        RingKind::Velocity,
    ];
    let mut r = 0usize;
    while in_rings < ring_budget {
        let kind = kinds[r % kinds.len()];
        let accounts = plant(&mut b, kind, r, per_account);
        in_rings += accounts.len();
        rings.push(Ring { kind, accounts });
        r += 1;
    }
    // Ordinary contributors: families of two to four share a home network
    // (one in seven accounts), couples now and then share a tablet.
    while b.next_account < p.contributors {
        let family = if b.rng.random_bool(0.15) {
            b.rng.random_range(2..=4)
        } else {
            1
        };
        let home = format!("home-{}", b.next_account);
        let mut members = Vec::new();
        for _ in 0..family {
            let joined = b.rng.random_range(0..end - DAY);
            let mut a = b.account(joined, home.clone());
            if b.rng.random_bool(0.1) {
                a.devices.push(format!("{}-second", a.devices[0]));
            }
            members.push(a);
        }
        if members.len() >= 2 && b.rng.random_bool(0.3) {
            let tablet = format!("tablet-{}", members[0].id);
            members[0].devices.push(tablet.clone());
            members[1].devices.push(tablet);
        }
        for a in &members {
            let count = b.rng.random_range(1..=2 * per_account);
            b.ordinary(a, count);
        }
    }
    let mut uploads = std::mem::take(&mut b.uploads);
    uploads.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.contributor.cmp(&y.1.contributor)));
    let mut events = Vec::with_capacity(uploads.len() * 2);
    for (_, u, copy) in uploads {
        let contributor = u.contributor.clone();
        events.push(GraphEvent::Upload(u));
        // Copies are rejected as duplicates; a few others for other reasons.
        let rejected = copy || b.rng.random_bool(0.03);
        events.push(GraphEvent::Verdict {
            contributor,
            rejected,
        });
    }
    Simulation { events, rings }
}

fn plant(b: &mut Builder, kind: RingKind, r: usize, per_account: usize) -> Vec<String> {
    let start = b.rng.random_range(0..b.end - 7 * DAY);
    let size = match kind {
        RingKind::DeviceFarm => b.rng.random_range(5..=12),
        RingKind::SharedPayout | RingKind::DuplicateContent => b.rng.random_range(3..=6),
        RingKind::NewAccountBurst => b.rng.random_range(6..=10),
        RingKind::Velocity => 1,
    };
    let mut accounts: Vec<Account> = (0..size)
        .map(|_| {
            let joined = start + b.rng.random_range(0..2 * HOUR);
            let home = format!("home-r{r}-{}", b.next_account);
            b.account(joined, home)
        })
        .collect();
    match kind {
        RingKind::DeviceFarm => {
            let phones = [format!("farm-{r}-a"), format!("farm-{r}-b")];
            for a in &mut accounts {
                a.devices = vec![phones[b.rng.random_range(0..2)].clone()];
            }
            // Both phones are used by more than one account.
            accounts[0].devices = vec![phones[0].clone()];
            accounts[1].devices = vec![phones[0].clone()];
            accounts[2].devices = vec![phones[1].clone()];
            accounts[3].devices = vec![phones[1].clone()];
            accounts[4].devices = phones.to_vec();
            for a in &accounts {
                let count = b.rng.random_range(1..=2 * per_account);
                b.ordinary(a, count);
            }
        }
        RingKind::SharedPayout => {
            for a in &mut accounts {
                a.payout = format!("ring-pay-{r}");
                a.joined = b.rng.random_range(0..b.end - DAY);
            }
            for a in &accounts {
                let count = b.rng.random_range(1..=2 * per_account);
                b.ordinary(a, count);
            }
        }
        RingKind::DuplicateContent => {
            // A pool of photos the accounts pass around over two weeks.
            let pool: Vec<String> = (0..8).map(|k| format!("upload:ring-{r}-{k}")).collect();
            let mut owner: Vec<Option<usize>> = vec![None; pool.len()];
            for round in 0..3 * pool.len() {
                let who = b.rng.random_range(0..accounts.len());
                let k = round % pool.len();
                let at = start + b.rng.random_range(0..14 * DAY);
                let a = &accounts[who];
                let content = match owner[k] {
                    None => {
                        owner[k] = Some(who);
                        vec![]
                    }
                    Some(o) if o == who => continue,
                    Some(o) => vec![ContentLink {
                        key: pool[k].clone(),
                        owner: Some(accounts[o].id.clone()),
                    }],
                };
                let (device, home) = (a.devices[0].clone(), a.home.clone());
                b.push(&accounts[who], at, device, home, content);
            }
            for a in &accounts {
                let count = b.rng.random_range(1..=per_account);
                b.ordinary(a, count);
            }
        }
        RingKind::NewAccountBurst => {
            let block = format!("burst-{r}");
            for a in &mut accounts {
                a.home = block.clone();
            }
            // Each account works from the shared network over the next days.
            for day in 0..5 {
                for a in &accounts {
                    let at = start + day * DAY + b.rng.random_range(0..3 * HOUR);
                    let device = a.devices[0].clone();
                    b.push(a, at, device, block.clone(), vec![]);
                }
            }
        }
        RingKind::Velocity => {
            let a = &accounts[0];
            let count = b.rng.random_range(1..=2 * per_account);
            b.ordinary(a, count);
            let spike = b.rng.random_range(150..300);
            for _ in 0..spike {
                let at = start + b.rng.random_range(0..20 * HOUR);
                let (device, home) = (a.devices[0].clone(), a.home.clone());
                b.push(&accounts[0], at, device, home, vec![]);
            }
        }
    }
    let mut ids: Vec<String> = accounts.into_iter().map(|a| a.id).collect();
    ids.shuffle(&mut b.rng);
    ids.sort();
    ids
}

/// Scores a graph that has applied every event of `sim`.
pub fn detection(graph: &IdentityGraph, sim: &Simulation) -> Detection {
    let flagged_ids: std::collections::HashSet<String> = graph
        .contributor_ids()
        .filter(|id| graph.risk(id).is_some_and(|r| r.score >= FLAG_AT))
        .map(str::to_owned)
        .collect();
    let ringed: std::collections::HashSet<&str> = sim
        .rings
        .iter()
        .flat_map(|r| r.accounts.iter().map(String::as_str))
        .collect();
    let mut per_kind: Vec<(RingKind, usize, usize)> = Vec::new();
    let mut found_total = 0;
    for ring in &sim.rings {
        let flagged = ring
            .accounts
            .iter()
            .filter(|a| flagged_ids.contains(*a))
            .count();
        let found = 2 * flagged >= ring.accounts.len();
        found_total += usize::from(found);
        match per_kind.iter_mut().find(|(k, _, _)| *k == ring.kind) {
            Some(row) => {
                row.1 += 1;
                row.2 += usize::from(found);
            }
            None => per_kind.push((ring.kind, 1, usize::from(found))),
        }
    }
    per_kind.sort();
    let innocent = flagged_ids
        .iter()
        .filter(|id| !ringed.contains(id.as_str()))
        .count();
    Detection {
        per_kind,
        recall: found_total as f64 / sim.rings.len().max(1) as f64,
        precision: if flagged_ids.is_empty() {
            1.0
        } else {
            (flagged_ids.len() - innocent) as f64 / flagged_ids.len() as f64
        },
        flagged: flagged_ids.len(),
        flagged_innocent: innocent,
    }
}
