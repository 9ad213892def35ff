//! The Jarosz box filter and the decimation to 64×64.
//!
//! Two passes of a box blur along rows then columns approximate a tent
//! filter sized to the downsampling ratio, so the 64×64 samples see the
//! whole image rather than aliasing. Sums and divisions happen in the same
//! order as in the reference, so results match it bit for bit.

/// Box width for shrinking `old` samples to `new`, as the reference computes it.
pub(crate) fn window_size(old: usize, new: usize) -> usize {
    old.div_ceil(2 * new)
}

/// One pass of the box filter along one row (`stride` 1) or column.
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

/// Filters `a` in place (using `b` as scratch): `passes` × (rows, columns).
pub(crate) fn jarosz(a: &mut [f32], b: &mut [f32], rows: usize, cols: usize, passes: usize) {
    let row_window = window_size(cols, 64);
    let col_window = window_size(rows, 64);
    for _ in 0..passes {
        for (src, dst) in a.chunks_exact(cols).zip(b.chunks_exact_mut(cols)) {
            box_1d(src, dst, cols, 1, row_window);
        }
        box_columns(b, a, rows, cols, col_window);
    }
}

/// Samples the filtered image at the centres of a 64×64 grid.
pub(crate) fn decimate(input: &[f32], rows: usize, cols: usize) -> [[f32; 64]; 64] {
    let mut out = [[0f32; 64]; 64];
    for (i, row) in out.iter_mut().enumerate() {
        let ini = (((i as f64 + 0.5) * rows as f64) / 64.0) as usize;
        for (j, v) in row.iter_mut().enumerate() {
            let inj = (((j as f64 + 0.5) * cols as f64) / 64.0) as usize;
            *v = input[ini * cols + inj];
        }
    }
    out
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
