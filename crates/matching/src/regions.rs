//! Where in an upload a copied picture may sit. A photo pasted onto another,
//! framed by a social app's screenshot, under a meme's band or on a padded
//! background is a *region* of the upload; a descriptor of the whole upload
//! describes the frame as much as the copy. These proposals are the parts
//! worth describing on their own: rectangles outlined by long straight
//! edges (a photo pasted onto another, a picture on a screen or in a frame),
//! the picture inside flat borders (bands, pads, app chrome) and a fixed
//! grid of half-size windows, which holds any pasted copy of about half
//! the upload's size or more.

use bonafide_core::Region;
use image::RgbImage;

/// Most regions proposed for one upload (each costs one descriptor).
pub const MAX_REGIONS: usize = 12;

/// Most outlined rectangles proposed.
const MAX_RECTANGLES: usize = 2;

/// Side of a grid window, as a share of the upload's side.
const WINDOW: f32 = 0.5;
/// Step between grid windows, as a share of the upload's side: three
/// windows a side, overlapping by half.
const STRIDE: f32 = 0.25;
/// A region smaller than this share of the upload's shorter side is too
/// small to describe (descriptors need some detail).
const MIN_SIDE: f32 = 0.2;

/// The regions of `img` worth describing, in its pixels: rectangles
/// outlined by straight edges, the picture inside flat borders (when there
/// are either), then the grid windows.
pub fn proposals(img: &RgbImage) -> Vec<Region> {
    let mut out = Vec::with_capacity(MAX_REGIONS);
    out.extend(crate::rectangles::outlined(img, MAX_RECTANGLES));
    if let Some(inner) = inside_borders(img)
        && !out.iter().any(|r| overlap(r, &inner) > 0.9)
    {
        out.push(inner);
    }
    out.extend(grid(img.width(), img.height()));
    out.truncate(MAX_REGIONS);
    out
}

/// Intersection over union of two boxes.
pub(crate) fn overlap(a: &Region, b: &Region) -> f32 {
    let ix = (a.x + a.w).min(b.x + b.w).saturating_sub(a.x.max(b.x));
    let iy = (a.y + a.h).min(b.y + b.h).saturating_sub(a.y.max(b.y));
    let inter = ix as f32 * iy as f32;
    let union = a.w as f32 * a.h as f32 + b.w as f32 * b.h as f32 - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

/// The 3×3 grid of half-size windows.
pub fn grid(w: u32, h: u32) -> impl Iterator<Item = Region> {
    let steps = ((1.0 - WINDOW) / STRIDE).round() as u32 + 1;
    let (ww, wh) = (
        ((w as f32 * WINDOW) as u32).max(1),
        ((h as f32 * WINDOW) as u32).max(1),
    );
    (0..steps).flat_map(move |j| {
        (0..steps).map(move |i| Region {
            x: (w as f32 * STRIDE * i as f32) as u32,
            y: (h as f32 * STRIDE * j as f32) as u32,
            w: ww,
            h: wh,
        })
    })
}

/// Per-channel difference under which two pixels count as one colour
/// (JPEG noise on a flat band).
const FLAT_TOLERANCE: i16 = 12;
/// Share of a line's pixels that must be its main colour for the line to
/// be flat: captions, stickers and icons cover less than the rest.
const FLAT_SHARE: f32 = 0.75;

/// The picture inside flat borders — the longest run of rows, then of
/// columns within it, that are not flat — when that trims at least 5 % of
/// the area and keeps a describable box.
fn inside_borders(img: &RgbImage) -> Option<Region> {
    let (w, h) = img.dimensions();
    if w < 16 || h < 16 {
        return None;
    }
    let rows: Vec<bool> = (0..h)
        .map(|y| flat((0..w).map(|x| img.get_pixel(x, y).0)))
        .collect();
    let (y0, y1) = busiest_run(&rows)?;
    let cols: Vec<bool> = (0..w)
        .map(|x| flat((y0..y1).map(|y| img.get_pixel(x, y).0)))
        .collect();
    let (x0, x1) = busiest_run(&cols)?;
    let (bw, bh) = (x1 - x0, y1 - y0);
    let trimmed = (bw as u64 * bh as u64) as f32 / (w as u64 * h as u64) as f32;
    let min_side = MIN_SIDE * w.min(h) as f32;
    (trimmed < 0.95 && bw as f32 >= min_side && bh as f32 >= min_side).then_some(Region {
        x: x0,
        y: y0,
        w: bw,
        h: bh,
    })
}

/// Whether most of a line's pixels share one colour (the median's).
fn flat(line: impl Iterator<Item = [u8; 3]> + Clone) -> bool {
    let pixels: Vec<[u8; 3]> = line.collect();
    let mut median = [0u8; 3];
    for (c, m) in median.iter_mut().enumerate() {
        let mut v: Vec<u8> = pixels.iter().map(|p| p[c]).collect();
        v.sort_unstable();
        *m = v[v.len() / 2];
    }
    let near = pixels
        .iter()
        .filter(|p| {
            p.iter()
                .zip(median)
                .all(|(&a, b)| (i16::from(a) - i16::from(b)).abs() <= FLAT_TOLERANCE)
        })
        .count();
    near as f32 >= FLAT_SHARE * pixels.len() as f32
}

/// The longest run of lines that are not flat, bridging flat gaps of up to
/// 2 % of the length (a flat stretch inside the picture itself), as a
/// half-open range.
fn busiest_run(flat: &[bool]) -> Option<(u32, u32)> {
    let gap = (flat.len() / 50).max(1);
    let mut best: Option<(usize, usize)> = None;
    let mut start: Option<usize> = None;
    let mut last_busy = 0;
    for (i, &f) in flat.iter().enumerate() {
        if !f {
            if start.is_none_or(|_| i - last_busy > gap) {
                start = Some(i);
            }
            last_busy = i;
            let s = start.expect("set above");
            if best.is_none_or(|(a, b)| i + 1 - s > b - a) {
                best = Some((s, i + 1));
            }
        }
    }
    best.map(|(a, b)| (a as u32, b as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A noisy picture (no two neighbours alike), as a photo is.
    fn photo(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let v = ((x * 7919 + y * 104_729) % 251) as u8;
            Rgb([v, v.wrapping_mul(3), v.wrapping_add(90)])
        })
    }

    #[test]
    fn the_grid_is_three_by_three_half_windows() {
        let g: Vec<Region> = grid(400, 200).collect();
        assert_eq!(g.len(), 9);
        assert_eq!(
            g[0],
            Region {
                x: 0,
                y: 0,
                w: 200,
                h: 100
            }
        );
        assert_eq!(
            g[8],
            Region {
                x: 200,
                y: 100,
                w: 200,
                h: 100
            }
        );
    }

    #[test]
    fn a_picture_on_a_padded_background_with_text_is_found() {
        // A 300×200 picture on a white 500×500 canvas, a caption line above.
        let mut canvas = RgbImage::from_pixel(500, 500, Rgb([255, 255, 255]));
        image::imageops::overlay(&mut canvas, &photo(300, 200), 120, 180);
        for x in 40..140 {
            for y in 60..90 {
                canvas.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        let inner = inside_borders(&canvas).expect("the picture");
        assert_eq!(
            inner,
            Region {
                x: 120,
                y: 180,
                w: 300,
                h: 200
            }
        );
        // Proposed before the grid.
        let regions = proposals(&canvas);
        assert!(regions.len() <= MAX_REGIONS);
        assert!(
            regions.iter().take(2).any(|r| overlap(r, &inner) > 0.9),
            "{regions:?}"
        );
    }

    #[test]
    fn a_photo_without_borders_gets_the_grid_only() {
        assert_eq!(inside_borders(&photo(320, 240)), None);
        assert_eq!(
            proposals(&photo(320, 240)),
            grid(320, 240).collect::<Vec<_>>()
        );
        // Hostile sizes: a sliver and a black frame give nothing odd.
        assert_eq!(inside_borders(&photo(1, 4000)), None);
        let black = RgbImage::new(300, 300);
        assert_eq!(inside_borders(&black), None);
        assert!(
            proposals(&photo(1, 4000))
                .iter()
                .all(|r| r.w >= 1 && r.h >= 1)
        );
    }
}
