//! Rectangles outlined by long straight edges: where one picture sits
//! inside another. A photo pasted onto another photo, shown on a screen or
//! framed on a wall meets its surroundings along four straight lines —
//! rows and columns where the brightness steps for most of the rectangle's
//! side — which natural scenes rarely draw all four of. The picture's own
//! borders count as sides, so a copy in a band or a letterbox is outlined
//! too.

use bonafide_core::Region;
use image::RgbImage;

/// Brightness step (0–255, across three pixels, which a resampled or
/// JPEG-blurred boundary still spans) that counts as an edge.
const EDGE: i16 = 20;
/// A side shorter than this share of the picture's side is not looked for.
const MIN_SIDE: f32 = 0.15;
/// Candidate lines kept per direction (the strongest, apart from borders).
const LINES: usize = 8;
/// Share of each side that must be edge.
const MIN_SUPPORT: f32 = 0.5;
/// How much more of a side must be edge than of the lines beside it, a few
/// pixels in and out: a boundary is a line, texture is edges everywhere.
const MIN_CONTRAST: f32 = 0.3;
/// How far beside a side its neighbouring lines are looked at.
const BESIDE: usize = 4;
/// Candidate lines closer than this share of the side are one line.
const SEPARATION: f32 = 0.03;

/// Edge flags along one direction's boundaries, with prefix sums so a
/// side's support is two lookups.
struct Boundaries {
    /// `len` samples along each of `count + 1` boundaries (the picture's
    /// first and last are its borders).
    len: usize,
    /// Prefix sums: `sums[b * (len + 1) + i]` edges among the first `i`
    /// samples of boundary `b` (an edge one boundary either side counts).
    sums: Vec<u32>,
    /// Edges on each boundary.
    totals: Vec<u32>,
}

impl Boundaries {
    /// `step(b, i)`: whether sample `i` of boundary `b` (1..count) steps.
    fn new(count: usize, len: usize, step: impl Fn(usize, usize) -> bool) -> Self {
        let raw: Vec<Vec<bool>> = (0..=count)
            .map(|b| {
                (0..len)
                    .map(|i| b >= 2 && b + 2 <= count && step(b, i))
                    .collect()
            })
            .collect();
        let mut sums = vec![0u32; (count + 1) * (len + 1)];
        let mut totals = vec![0u32; count + 1];
        for b in 0..=count {
            let mut acc = 0;
            for i in 0..len {
                let near = (b.saturating_sub(1)..=(b + 1).min(count)).any(|n| raw[n][i]);
                acc += u32::from(near);
                sums[b * (len + 1) + i + 1] = acc;
            }
            totals[b] = raw[b].iter().filter(|&&e| e).count() as u32;
        }
        Self { len, sums, totals }
    }

    /// Share of samples `from..to` of boundary `b` that are edge.
    fn share(&self, b: usize, from: usize, to: usize) -> f32 {
        let row = b * (self.len + 1);
        (self.sums[row + to] - self.sums[row + from]) as f32 / (to - from).max(1) as f32
    }

    /// How clearly samples `from..to` of boundary `b` are a side: the share
    /// that is edge, less the smaller share of the lines [`BESIDE`] either
    /// side (a boundary may have texture on one side, not on both), or
    /// `None` when under [`MIN_SUPPORT`]. A border is a full side.
    fn side(&self, b: usize, from: usize, to: usize) -> Option<f32> {
        let count = self.totals.len() - 1;
        if b == 0 || b == count {
            return Some(1.0);
        }
        let share = self.share(b, from, to);
        let beside = [
            b.checked_sub(BESIDE),
            Some(b + BESIDE).filter(|&n| n < count),
        ]
        .into_iter()
        .flatten()
        .map(|n| self.share(n, from, to))
        .fold(1.0, f32::min);
        (share >= MIN_SUPPORT && share - beside >= MIN_CONTRAST).then_some(share - beside)
    }

    /// The borders and the strongest boundaries (local maxima of their edge
    /// count, at least `min_edges`), in order.
    fn candidates(&self, min_edges: u32) -> Vec<usize> {
        let count = self.totals.len() - 1;
        let apart = ((count as f32 * SEPARATION) as usize).max(2);
        // A line's strength: its edges less those of the lines beside it
        // (texture has edges on every line; a boundary on one).
        let strength = |b: usize| {
            let beside = [
                b.checked_sub(BESIDE),
                Some(b + BESIDE).filter(|&n| n < count),
            ]
            .into_iter()
            .flatten()
            .map(|n| self.totals[n])
            .min()
            .unwrap_or(0);
            self.totals[b].saturating_sub(beside)
        };
        let mut strong: Vec<(usize, u32)> = (1..count)
            .map(|b| (b, strength(b)))
            .filter(|&(_, s)| s >= min_edges)
            .collect();
        strong.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let strong = strong.into_iter().map(|(b, _)| b);
        let mut kept: Vec<usize> = Vec::with_capacity(LINES + 2);
        for b in strong {
            if kept.iter().all(|&k| k.abs_diff(b) > apart) {
                kept.push(b);
                if kept.len() == LINES {
                    break;
                }
            }
        }
        kept.extend([0, count]);
        kept.sort_unstable();
        kept
    }
}

/// Up to `max` rectangles of `img` outlined on all four sides (not the whole
/// picture), best outlined first.
pub(crate) fn outlined(img: &RgbImage, max: usize) -> Vec<Region> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 16 || h < 16 || max == 0 {
        return Vec::new();
    }
    let luma: Vec<i16> = img
        .pixels()
        .map(|p| {
            ((299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000) as i16
        })
        .collect();
    let at = |x: usize, y: usize| luma[y.min(h - 1) * w + x.min(w - 1)];
    // Boundary y lies between rows y - 1 and y; boundary x between columns.
    // An edge steps across the line, and more than the picture changes
    // along it there: a boundary's gradient is square to it, texture's
    // points every way.
    let rows = Boundaries::new(h, w, |y, x| {
        let across = (at(x, y + 1) - at(x, y - 2)).abs();
        let l = x.saturating_sub(1);
        let along = (at(x + 1, y - 1) - at(l, y - 1))
            .abs()
            .max((at(x + 1, y) - at(l, y)).abs());
        across >= EDGE && across >= 2 * along
    });
    let cols = Boundaries::new(w, h, |x, y| {
        let across = (at(x + 1, y) - at(x - 2, y)).abs();
        let u = y.saturating_sub(1);
        let along = (at(x - 1, y + 1) - at(x - 1, u))
            .abs()
            .max((at(x, y + 1) - at(x, u)).abs());
        across >= EDGE && across >= 2 * along
    });
    let (min_w, min_h) = (
        (MIN_SIDE * w as f32) as usize,
        (MIN_SIDE * h as f32) as usize,
    );
    let ys = rows.candidates((min_w as f32 * MIN_CONTRAST) as u32);
    let xs = cols.candidates((min_h as f32 * MIN_CONTRAST) as u32);
    // (sides drawn, their mean strength, the rectangle)
    let mut found: Vec<(usize, f32, Region)> = Vec::new();
    for (i, &y0) in ys.iter().enumerate() {
        for &y1 in &ys[i + 1..] {
            if y1 - y0 < min_h.max(1) {
                continue;
            }
            for (j, &x0) in xs.iter().enumerate() {
                for &x1 in &xs[j + 1..] {
                    if x1 - x0 < min_w.max(1) || (y0 == 0 && y1 == h && x0 == 0 && x1 == w) {
                        continue;
                    }
                    let sides = [
                        rows.side(y0, x0, x1),
                        rows.side(y1, x0, x1),
                        cols.side(x0, y0, y1),
                        cols.side(x1, y0, y1),
                    ];
                    if let [Some(_), Some(_), Some(_), Some(_)] = sides {
                        // Borders are free sides: rank by the drawn ones.
                        let drawn: Vec<f32> = [
                            (y0, h, sides[0]),
                            (y1, h, sides[1]),
                            (x0, w, sides[2]),
                            (x1, w, sides[3]),
                        ]
                        .into_iter()
                        .filter(|&(b, end, _)| b != 0 && b != end)
                        .filter_map(|(_, _, s)| s)
                        .collect();
                        if drawn.len() < 2 {
                            continue;
                        }
                        let region = Region {
                            x: x0 as u32,
                            y: y0 as u32,
                            w: (x1 - x0) as u32,
                            h: (y1 - y0) as u32,
                        };
                        let strength = drawn.iter().sum::<f32>() / drawn.len() as f32;
                        found.push((drawn.len(), strength, region));
                    }
                }
            }
        }
    }
    // Most sides drawn first, then the most clearly drawn; of equals, the
    // larger.
    found.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then((b.2.w * b.2.h).cmp(&(a.2.w * a.2.h)))
    });
    let mut out: Vec<Region> = Vec::with_capacity(max);
    for (_, _, r) in found {
        if out.iter().all(|o| crate::regions::overlap(o, &r) < 0.7) {
            out.push(r);
            if out.len() == max {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A real photo from the shared data beside the checkout, at about the
    /// copy descriptor's working scale.
    fn photo(name: &str) -> RgbImage {
        let path = format!(
            "{}/../../../shared/data/ai-generated/ml72-playground/real/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let img = image::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        img.resize(600, 448, image::imageops::FilterType::Triangle)
            .to_rgb8()
    }

    fn found(found: &[Region], truth: Region) -> bool {
        found
            .iter()
            .any(|r| crate::regions::overlap(r, &truth) > 0.8)
    }

    #[test]
    fn a_photo_pasted_onto_another_is_outlined() {
        let mut backdrop = photo("nature_2.jpg");
        let (bw, _) = backdrop.dimensions();
        let copy = photo("city_3.jpg");
        let (cw, ch) = (
            bw * 45 / 100,
            copy.height() * (bw * 45 / 100) / copy.width(),
        );
        let small = image::imageops::resize(&copy, cw, ch, image::imageops::FilterType::CatmullRom);
        image::imageops::overlay(&mut backdrop, &small, 190, 120);
        let truth = Region {
            x: 190,
            y: 120,
            w: cw,
            h: ch,
        };
        let rects = outlined(&backdrop, 2);
        assert!(found(&rects, truth), "{rects:?}");
    }

    #[test]
    fn a_letterboxed_photo_is_outlined() {
        // Black bars above and below: two drawn sides, two borders.
        let picture = photo("food_3.jpg");
        let mut img = RgbImage::from_pixel(picture.width(), 700, Rgb([0, 0, 0]));
        image::imageops::overlay(&mut img, &picture, 0, 126);
        let truth = Region {
            x: 0,
            y: 126,
            w: picture.width(),
            h: picture.height(),
        };
        let rects = outlined(&img, 2);
        assert!(found(&rects, truth), "{rects:?}");
    }

    #[test]
    fn flat_and_degenerate_pictures_outline_nothing() {
        assert_eq!(outlined(&RgbImage::new(300, 300), 2), Vec::new());
        assert_eq!(outlined(&RgbImage::new(1, 4000), 2), Vec::new());
        assert_eq!(outlined(&photo("city_3.jpg"), 0), Vec::new());
    }
}
