//! The 64→16 DCT: frequencies 1..=16 (the DC term is skipped) of a 2-D
//! DCT-II over the 64×64 luma block.

use std::sync::OnceLock;

/// Row `i`, column `j`: `sqrt(2/64) · cos(π/128 · (i+1) · (2j+1))`.
fn matrix() -> &'static [[f32; 64]; 16] {
    static M: OnceLock<[[f32; 64]; 16]> = OnceLock::new();
    M.get_or_init(|| {
        let scale = (2.0f64 / 64.0).sqrt();
        let mut m = [[0f32; 64]; 16];
        for (i, row) in m.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                let angle =
                    (std::f64::consts::PI / 2.0 / 64.0) * (i as f64 + 1.0) * (2.0 * j as f64 + 1.0);
                *v = (scale * angle.cos()) as f32;
            }
        }
        m
    })
}

/// `D · A · Dᵀ` for the 16×64 matrix `D`, summing in the reference's order.
pub(crate) fn dct_64_to_16(a: &[[f32; 64]; 64]) -> [[f32; 16]; 16] {
    let d = matrix();
    // Row by row of `A`, so the inner loop runs along memory and
    // vectorises; each `t[i][j]` still adds its 64 terms in order k = 0..64.
    let mut t = [[0f32; 64]; 16];
    for (t_row, d_row) in t.iter_mut().zip(d) {
        for (a_row, &dk) in a.iter().zip(d_row) {
            for (tv, &av) in t_row.iter_mut().zip(a_row) {
                *tv += dk * av;
            }
        }
    }
    let mut b = [[0f32; 16]; 16];
    for i in 0..16 {
        for j in 0..16 {
            let mut sum = 0f32;
            for k in 0..64 {
                sum += t[i][k] * d[j][k];
            }
            b[i][j] = sum;
        }
    }
    b
}
