use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

/// Label for verdict counters.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DecisionLabel {
    /// accept / review / reject.
    pub decision: String,
}

/// Label for per-kind job counters.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    /// Job kind.
    pub kind: String,
}

/// Label for per-stage screening histograms.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StageLabel {
    /// One of [`Stage`]'s names.
    pub stage: &'static str,
}

/// The steps of screening one upload, timed separately so a slow stage
/// shows on a dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the upload's bytes from the blob store.
    Fetch,
    /// Sniffing and decoding (image pixels, video frames, PDF pages).
    Decode,
    /// PDQ of the picture or of the video's frames.
    Hash,
    /// Reading and validating C2PA content credentials.
    Credentials,
    /// Bank lookups (PDQ, frames, embeddings).
    Banks,
    /// The ONNX models (embeddings, copy descriptors, classes, body parts).
    Models,
    /// Copy-descriptor lookups in the banks and earlier uploads, and the
    /// regions' descriptors when the whole photo found nothing.
    Copies,
    /// Every detector, run concurrently.
    Detectors,
    /// The fraud graph, the policy and the verdict's transaction.
    Record,
}

impl Stage {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fetch => "fetch",
            Self::Decode => "decode",
            Self::Hash => "hash",
            Self::Credentials => "credentials",
            Self::Banks => "banks",
            Self::Models => "models",
            Self::Copies => "copies",
            Self::Detectors => "detectors",
            Self::Record => "record",
        }
    }
}

/// Label for per-detector histograms.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DetectorLabel {
    /// The detector's name.
    pub detector: &'static str,
}

/// Label for findings counters.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabel {
    /// The finding's reason code.
    pub code: String,
}

/// Label for rate-limit refusals.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LimitLabel {
    /// `key`, `contributor`, or `in_flight` (shed under load).
    pub limit: &'static str,
}

/// Labels of HTTP request metrics.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabel {
    /// GET, POST, …
    pub method: String,
    /// The route template, e.g. `/v1/uploads/{id}` (never the raw path, so
    /// ids do not explode the label space).
    pub route: String,
    /// Response status code.
    pub status: u16,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_buckets() -> Histogram {
    Histogram::new([
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
    ])
}

/// The engine's Prometheus metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Uploads accepted into the store.
    pub uploads: Counter,
    /// Verdicts recorded, by decision.
    pub verdicts: Family<DecisionLabel, Counter>,
    /// Job attempts that failed, by kind.
    pub job_failures: Family<KindLabel, Counter>,
    /// Jobs dead-lettered, by kind.
    pub dead_jobs: Family<KindLabel, Counter>,
    /// Jobs put back because the store was out, by kind.
    pub job_outages: Family<KindLabel, Counter>,
    /// Seconds per screening stage.
    pub stage_seconds: HistogramFamily<StageLabel>,
    /// Seconds per detector.
    pub detector_seconds: HistogramFamily<DetectorLabel>,
    /// Photos whose regions were described and looked up (their whole
    /// copy descriptor found nothing).
    pub copy_regions: Counter,
    /// Findings recorded with verdicts, by code.
    pub findings: Family<CodeLabel, Counter>,
    /// Requests refused by a rate limit, by which limit.
    pub rate_limited: Family<LimitLabel, Counter>,
    /// Seconds from claim to recorded verdict.
    pub screen_seconds: Histogram,
    /// Seconds from upload accepted to verdict recorded.
    pub verdict_latency_seconds: Histogram,
    /// Jobs waiting (sampled when scraped).
    pub queue_depth: Gauge,
    /// Dead-lettered jobs (sampled when scraped).
    pub queue_dead: Gauge,
    /// HTTP requests answered, by method, route and status.
    pub http_requests: Family<HttpLabel, Counter>,
    /// HTTP request durations, by method, route and status.
    pub http_seconds: HistogramFamily<HttpLabel>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Self {
            registry: Registry::with_prefix("bonafide"),
            uploads: Counter::default(),
            verdicts: Family::default(),
            job_failures: Family::default(),
            dead_jobs: Family::default(),
            job_outages: Family::default(),
            stage_seconds: Family::new_with_constructor(latency_buckets),
            detector_seconds: Family::new_with_constructor(latency_buckets),
            copy_regions: Counter::default(),
            findings: Family::default(),
            rate_limited: Family::default(),
            screen_seconds: latency_buckets(),
            verdict_latency_seconds: latency_buckets(),
            queue_depth: Gauge::default(),
            queue_dead: Gauge::default(),
            http_requests: Family::default(),
            http_seconds: Family::new_with_constructor(latency_buckets),
        };
        let r = &mut m.registry;
        r.register("uploads", "Uploads accepted", m.uploads.clone());
        r.register("verdicts", "Verdicts recorded", m.verdicts.clone());
        r.register(
            "job_failures",
            "Failed job attempts",
            m.job_failures.clone(),
        );
        r.register("dead_jobs", "Jobs dead-lettered", m.dead_jobs.clone());
        r.register(
            "job_outages",
            "Jobs put back because the store was unavailable",
            m.job_outages.clone(),
        );
        r.register(
            "stage_seconds",
            "Time per screening stage",
            m.stage_seconds.clone(),
        );
        r.register(
            "detector_seconds",
            "Time per detector",
            m.detector_seconds.clone(),
        );
        r.register(
            "copy_regions",
            "Photos whose regions were looked up by copy descriptor",
            m.copy_regions.clone(),
        );
        r.register(
            "findings",
            "Findings recorded with verdicts, by code",
            m.findings.clone(),
        );
        r.register(
            "rate_limited",
            "Requests refused by a rate limit",
            m.rate_limited.clone(),
        );
        r.register(
            "screen_seconds",
            "Time to screen one upload",
            m.screen_seconds.clone(),
        );
        r.register(
            "verdict_latency_seconds",
            "Upload accepted to verdict",
            m.verdict_latency_seconds.clone(),
        );
        r.register(
            "queue_depth",
            "Jobs queued or running",
            m.queue_depth.clone(),
        );
        r.register("queue_dead", "Dead-lettered jobs", m.queue_dead.clone());
        r.register(
            "http_requests",
            "HTTP requests answered",
            m.http_requests.clone(),
        );
        r.register(
            "http_request_seconds",
            "HTTP request duration",
            m.http_seconds.clone(),
        );
        m
    }
}

impl Metrics {
    /// Records one answered HTTP request.
    pub fn observe_http(&self, label: HttpLabel, elapsed: std::time::Duration) {
        self.http_requests.get_or_create(&label).inc();
        self.http_seconds
            .get_or_create(&label)
            .observe(elapsed.as_secs_f64());
    }

    /// Records how long a screening stage took.
    pub fn observe_stage(&self, stage: Stage, since: std::time::Instant) {
        self.stage_seconds
            .get_or_create(&StageLabel {
                stage: stage.as_str(),
            })
            .observe(since.elapsed().as_secs_f64());
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}
