//! Connected components (8-connected) of a boolean mask, with bounding boxes and pixel counts.

/// One connected component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Component {
    pub x0: usize,
    pub y0: usize,
    /// Exclusive right/bottom edges.
    pub x1: usize,
    pub y1: usize,
    pub area: usize,
    /// Centroid.
    pub cx: f32,
    pub cy: f32,
}

/// Labels the 8-connected components of `mask` (width×height, row-major); returns them with a label
/// plane (0 = background, i+1 = component i).
pub fn connected_components(mask: &[bool], width: usize, height: usize) -> (Vec<Component>, Vec<u32>) {
    let mut labels = vec![0u32; width * height];
    let mut comps = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..width * height {
        if !mask[start] || labels[start] != 0 {
            continue;
        }
        let id = comps.len() as u32 + 1;
        labels[start] = id;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        let (mut area, mut sx, mut sy) = (0usize, 0f64, 0f64);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x + 1);
            y1 = y1.max(y + 1);
            area += 1;
            sx += x as f64;
            sy += y as f64;
            let ys = y.saturating_sub(1)..=(y + 1).min(height - 1);
            for ny in ys {
                for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                    let j = ny * width + nx;
                    if mask[j] && labels[j] == 0 {
                        labels[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        comps.push(Component { x0, y0, x1, y1, area, cx: (sx / area as f64) as f32, cy: (sy / area as f64) as f32 });
    }
    (comps, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_blobs_and_a_diagonal() {
        #[rustfmt::skip]
        let m = [
            1,1,0,0,0,
            1,0,0,0,1,
            0,0,0,1,0,
            0,0,0,0,0,
        ].map(|v| v == 1);
        let (c, _) = connected_components(&m, 5, 4);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].x0, c[0].y0, c[0].x1, c[0].y1, c[0].area), (0, 0, 2, 2, 3));
        assert_eq!((c[1].x0, c[1].y0, c[1].x1, c[1].y1, c[1].area), (3, 1, 5, 3, 2));
    }
}
