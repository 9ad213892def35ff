//! The Jarosz box filter and the decimation to 64×64.
//!
//! Two passes of a box blur along rows and along columns approximate a tent
//! filter sized to the downsampling ratio, so the 64×64 samples see the
//! whole image rather than aliasing. Along each line, sums and divisions
//! happen in the reference's order.

use crate::Pixels;

/// Box width for shrinking `old` samples to `new`, as the reference computes it.
pub(crate) fn window_size(old: usize, new: usize) -> usize {
    old.div_ceil(2 * new)
}

/// One pass of the box filter along one row (`stride` 1) or column: the
/// reference's loop, transcribed. The fast paths below are checked
/// against it.
#[cfg(test)]
fn box_1d(input: &[f32], output: &mut [f32], len: usize, stride: usize, window: usize) {
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = len - window;
    let phase4 = half - 1;
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut sum = 0.0f32;
    let mut size = 0.0f32;
    for _ in 0..phase1 {
        sum += input[ri];
        size += 1.0;
        ri += stride;
    }
    for _ in 0..phase2 {
        sum += input[ri];
        size += 1.0;
        output[oi] = sum / size;
        ri += stride;
        oi += stride;
    }
    for _ in 0..phase3 {
        sum += input[ri];
        sum -= input[li];
        output[oi] = sum / size;
        li += stride;
        ri += stride;
        oi += stride;
    }
    for _ in 0..phase4 {
        sum -= input[li];
        size -= 1.0;
        output[oi] = sum / size;
        li += stride;
        oi += stride;
    }
}

/// [`box_1d`] down every column at once, a row at a time: the same
/// additions in the same order per column (so bit-identical results), but
/// reading memory in order instead of striding across it.
fn box_columns(input: &[f32], output: &mut [f32], rows: usize, cols: usize, window: usize) {
    let half = (window + 2) / 2;
    let (phase1, phase2, phase3, phase4) = (half - 1, window - half + 1, rows - window, half - 1);
    let row = |r: usize| &input[r * cols..(r + 1) * cols];
    let mut sum = vec![0f32; cols];
    let mut size = 0f32;
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut emit = |sum: &[f32], size: f32, oi: usize| {
        for (o, s) in output[oi * cols..(oi + 1) * cols].iter_mut().zip(sum) {
            *o = s / size;
        }
    };
    for _ in 0..phase1 {
        sum.iter_mut().zip(row(ri)).for_each(|(s, v)| *s += v);
        size += 1.0;
        ri += 1;
    }
    for _ in 0..phase2 {
        sum.iter_mut().zip(row(ri)).for_each(|(s, v)| *s += v);
        size += 1.0;
        emit(&sum, size, oi);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        sum.iter_mut()
            .zip(row(ri))
            .zip(row(li))
            .for_each(|((s, add), sub)| {
                *s += add;
                *s -= sub;
            });
        emit(&sum, size, oi);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sum.iter_mut().zip(row(li)).for_each(|(s, v)| *s -= v);
        size -= 1.0;
        emit(&sum, size, oi);
        li += 1;
        oi += 1;
    }
}

/// Filters a luma image and samples it at the centres of a 64×64 grid.
///
/// The reference filters the whole image twice along rows and twice along
/// columns, then keeps 64×64 samples. Box filters along different axes
/// commute, and only the samples are kept, so this does the same work
/// where it counts:
/// 1. per row, the first horizontal pass in full — eight rows at a time, so
///    their running sums overlap in the CPU instead of waiting on each
///    other — and the second pass only at the 64 sampled columns;
/// 2. down those 64 columns, the first vertical pass in full and the second
///    only at the 64 sampled rows.
///
/// No full-size float buffer is allocated: the image is read once, a few
/// rows at a time. Results equal the reference's up to float rounding.
/// (`dyn`, not generic: a generic body would be compiled, and optimised or
/// not, in each calling crate.)
pub(crate) fn filter_and_decimate(img: &dyn Pixels) -> [[f32; 64]; 64] {
    let (rows, cols) = img.size();
    let row_window = window_size(cols, 64);
    let col_window = window_size(rows, 64);
    let sampled_cols = centres(cols);

    let mut horizontal = vec![[0f32; 64]; rows];
    let mut row = vec![0f32; cols];
    // Eight rows side by side: element `c` holds column `c` of each row.
    let mut luma = vec![[0f32; LANES]; cols];
    let mut once = vec![[0f32; LANES]; cols];
    for r0 in (0..rows).step_by(LANES) {
        let block = LANES.min(rows - r0);
        // Lanes past the last row are filtered too and ignored.
        for lane in 0..block {
            img.luma_row(r0 + lane, &mut row);
            luma.iter_mut().zip(&row).for_each(|(l, &v)| l[lane] = v);
        }
        box_lanes(&luma, &mut once, row_window);
        for (j, &c) in sampled_cols.iter().enumerate() {
            let (lo, hi) = box_span(c, cols, row_window);
            let mut sum = [0f32; LANES];
            for v in &once[lo..=hi] {
                (0..LANES).for_each(|l| sum[l] += v[l]);
            }
            let n = (hi - lo + 1) as f32;
            for lane in 0..block {
                horizontal[r0 + lane][j] = sum[lane] / n;
            }
        }
    }

    let mut vertical = vec![[0f32; 64]; rows];
    box_columns(
        horizontal.as_flattened(),
        vertical.as_flattened_mut(),
        rows,
        64,
        col_window,
    );
    let mut out = [[0f32; 64]; 64];
    for (o, r) in out.iter_mut().zip(centres(rows)) {
        let (lo, hi) = box_span(r, rows, col_window);
        for row in &vertical[lo..=hi] {
            o.iter_mut().zip(row).for_each(|(o, v)| *o += v);
        }
        let n = (hi - lo + 1) as f32;
        o.iter_mut().for_each(|v| *v /= n);
    }
    out
}

/// Rows filtered together by [`box_lanes`].
const LANES: usize = 8;

/// The first and last input index [`box_1d`] averages for output `i`.
fn box_span(i: usize, len: usize, window: usize) -> (usize, usize) {
    let half = (window + 2) / 2;
    (i.saturating_sub(window - half), (i + half - 1).min(len - 1))
}

/// The sample nearest the centre of each of 64 equal cells along `len`.
fn centres(len: usize) -> [usize; 64] {
    std::array::from_fn(|i| (((i as f64 + 0.5) * len as f64) / 64.0) as usize)
}

/// [`box_1d`] along [`LANES`] rows at once (element `i` holds sample `i`
/// of each row), with one running sum per row advanced in step: the same
/// arithmetic per row as [`box_1d`], in vector registers.
fn box_lanes(input: &[[f32; LANES]], output: &mut [[f32; LANES]], window: usize) {
    let len = input.len();
    let half = (window + 2) / 2;
    let (phase1, phase2, phase3, phase4) = (half - 1, window - half + 1, len - window, half - 1);
    let mut sum = [0f32; LANES];
    let mut size = 0f32;
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let add = |sum: &mut [f32; LANES], v: &[f32; LANES]| (0..LANES).for_each(|l| sum[l] += v[l]);
    let sub = |sum: &mut [f32; LANES], v: &[f32; LANES]| (0..LANES).for_each(|l| sum[l] -= v[l]);
    let mean = |sum: &[f32; LANES], size: f32| sum.map(|s| s / size);
    for _ in 0..phase1 {
        add(&mut sum, &input[ri]);
        size += 1.0;
        ri += 1;
    }
    for _ in 0..phase2 {
        add(&mut sum, &input[ri]);
        size += 1.0;
        output[oi] = mean(&sum, size);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        add(&mut sum, &input[ri]);
        sub(&mut sum, &input[li]);
        output[oi] = mean(&sum, size);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sub(&mut sum, &input[li]);
        size -= 1.0;
        output[oi] = mean(&sum, size);
        li += 1;
        oi += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_pass_is_bit_identical_to_the_strided_reference() {
        let (rows, cols, window) = (37, 23, 5);
        let input: Vec<f32> = (0..rows * cols)
            .map(|i| ((i * 7919) % 255) as f32 * 0.731)
            .collect();
        let mut strided = vec![0f32; rows * cols];
        for j in 0..cols {
            box_1d(&input[j..], &mut strided[j..], rows, cols, window);
        }
        let mut rowwise = vec![0f32; rows * cols];
        box_columns(&input, &mut rowwise, rows, cols, window);
        assert_eq!(strided, rowwise);
    }

    #[test]
    fn lanes_are_bit_identical_to_one_row_at_a_time() {
        let (len, window) = (53, 4);
        let rows: Vec<Vec<f32>> = (0..LANES)
            .map(|l| {
                (0..len)
                    .map(|i| (((l * len + i) * 7919) % 255) as f32 * 0.731)
                    .collect()
            })
            .collect();
        let input: Vec<[f32; LANES]> = (0..len)
            .map(|i| std::array::from_fn(|l| rows[l][i]))
            .collect();
        let mut lanes = vec![[0f32; LANES]; len];
        box_lanes(&input, &mut lanes, window);
        for (l, row) in rows.iter().enumerate() {
            let mut one = vec![0f32; len];
            box_1d(row, &mut one, len, 1, window);
            let lane: Vec<f32> = lanes.iter().map(|v| v[l]).collect();
            assert_eq!(one, lane);
        }
    }

    #[test]
    fn box_span_covers_what_box_1d_averages() {
        let (len, window) = (40, 5);
        let input: Vec<f32> = (0..len).map(|i| ((i * 31) % 17) as f32).collect();
        let mut out = vec![0f32; len];
        box_1d(&input, &mut out, len, 1, window);
        for (i, want) in out.iter().enumerate() {
            let (lo, hi) = box_span(i, len, window);
            let mean = input[lo..=hi].iter().sum::<f32>() / (hi - lo + 1) as f32;
            assert!((mean - want).abs() < 1e-4, "output {i}: {mean} vs {want}");
        }
    }

    /// The whole fast path against the reference's order: every pixel
    /// filtered rows, columns, rows, columns, then sampled.
    #[test]
    fn filter_and_decimate_matches_the_full_reference_order() {
        let (rows, cols) = (301, 457);
        let img = image::ImageBuffer::from_fn(cols as u32, rows as u32, |x, y| {
            image::Luma([((x * x + 3 * y * x + 7 * y) % 256) as f32])
        });
        let mut a: Vec<f32> = img.as_raw().clone();
        let mut b = vec![0f32; a.len()];
        for _ in 0..2 {
            for r in 0..rows {
                box_1d(
                    &a[r * cols..],
                    &mut b[r * cols..],
                    cols,
                    1,
                    window_size(cols, 64),
                );
            }
            for c in 0..cols {
                box_1d(&b[c..], &mut a[c..], rows, cols, window_size(rows, 64));
            }
        }
        let fast = filter_and_decimate(&img);
        for (i, r) in centres(rows).into_iter().enumerate() {
            for (j, c) in centres(cols).into_iter().enumerate() {
                let want = a[r * cols + c];
                assert!(
                    (fast[i][j] - want).abs() < 1e-3,
                    "sample ({i}, {j}): {} vs {want}",
                    fast[i][j]
                );
            }
        }
    }

    #[test]
    fn box_filter_keeps_constants_and_averages_neighbours() {
        let input = [2.0f32; 10];
        let mut out = [0f32; 10];
        box_1d(&input, &mut out, 10, 1, 3);
        assert!(out.iter().all(|&v| (v - 2.0).abs() < 1e-6));
        let ramp: Vec<f32> = (0..10).map(|v| v as f32).collect();
        box_1d(&ramp, &mut out, 10, 1, 3);
        assert!(
            (out[5] - 5.0).abs() < 1e-6,
            "a centred window averages to the middle value"
        );
        assert_eq!(window_size(1024, 64), 8);
        assert_eq!(window_size(64, 64), 1);
    }
}
