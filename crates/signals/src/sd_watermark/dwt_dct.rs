//! Reading the "dwtDct" invisible watermark of PyPI `invisible-watermark`
//! (ShieldMnt), which Stable Diffusion's reference scripts embed: the
//! picture's U chroma channel (OpenCV's YUV) is cut to a multiple of 4 and
//! Haar-transformed once; in every 4×4 block of the approximation band the
//! largest coefficient other than the first carries one bit of the message
//! — its magnitude modulo 36 is set to 9 for a 0 and 27 for a 1 — bits
//! repeating in row-major block order. Reading averages each bit's blocks.

use image::RgbImage;

/// The quantisation step the embedder uses on the U channel.
const SCALE: f32 = 36.0;
/// Side of the blocks of the approximation band that carry one bit each.
const BLOCK: usize = 4;

/// Each 4×4 block's bit in block order, or `None` when the picture is too
/// small to carry a message (the embedder refuses under 256×256 pixels).
pub fn block_bits(rgb: &RgbImage) -> Option<Vec<bool>> {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    if w * h < 256 * 256 {
        return None;
    }
    let (w, h) = (w / 4 * 4, h / 4 * 4);
    let u = |x: usize, y: usize| -> f32 {
        let p = rgb.get_pixel(x as u32, y as u32).0;
        let (r, g, b) = (f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
        let luma = 0.299 * r + 0.587 * g + 0.114 * b;
        // OpenCV's COLOR_BGR2YUV for 8-bit pictures: U = 0.492 (B − Y) + 128, rounded and clamped.
        (0.492_111 * (b - luma) + 128.0).round().clamp(0.0, 255.0)
    };
    // The Haar approximation band: each 2×2 square's sum over 2.
    let (bw, bh) = (w / 2, h / 2);
    let band: Vec<f32> = (0..bh)
        .flat_map(|y| (0..bw).map(move |x| (x, y)))
        .map(|(x, y)| {
            (u(2 * x, 2 * y) + u(2 * x + 1, 2 * y) + u(2 * x, 2 * y + 1) + u(2 * x + 1, 2 * y + 1))
                / 2.0
        })
        .collect();
    let mut bits = Vec::with_capacity((bw / BLOCK) * (bh / BLOCK));
    for by in 0..bh / BLOCK {
        for bx in 0..bw / BLOCK {
            let at = |k: usize| band[(by * BLOCK + k / BLOCK) * bw + bx * BLOCK + k % BLOCK];
            // The first largest magnitude after the block's first coefficient.
            let mut best = 1;
            for k in 2..BLOCK * BLOCK {
                if at(k).abs() > at(best).abs() {
                    best = k;
                }
            }
            bits.push(at(best).abs() % SCALE > SCALE / 2.0);
        }
    }
    Some(bits)
}

/// The message of `len` bits the blocks spell: each bit is set when more
/// than half of its blocks (those at `i`, `i + len`, …) say 1.
pub fn message(blocks: &[bool], len: usize) -> Vec<bool> {
    (0..len)
        .map(|i| {
            let votes: Vec<bool> = blocks.iter().skip(i).step_by(len).copied().collect();
            let ones = votes.iter().filter(|&&b| b).count();
            // The embedder's own rule: mean × 255 > 127.
            !votes.is_empty() && ones as f32 / votes.len() as f32 * 255.0 > 127.0
        })
        .collect()
}

/// How many bits of `read` agree with `expected`.
pub fn agreement(read: &[bool], expected: &[bool]) -> usize {
    read.iter().zip(expected).filter(|(a, b)| a == b).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_pictures_carry_no_message() {
        assert!(block_bits(&RgbImage::new(255, 256)).is_none());
        assert_eq!(block_bits(&RgbImage::new(256, 256)).unwrap().len(), 32 * 32);
    }

    #[test]
    fn majority_per_bit() {
        let blocks = [true, false, true, true, false, false];
        assert_eq!(message(&blocks, 2), [true, false]);
        assert_eq!(agreement(&[true, false], &[true, true]), 1);
    }
}
