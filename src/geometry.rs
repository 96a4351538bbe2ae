//! Plane geometry for text boxes: takes pixel point sets; gives convex hulls, minimum-area rotated
//! rectangles (rotating calipers over the hull, so long thin lines keep their true thickness) and quads.

use serde::{Deserialize, Serialize};

/// A point in image coordinates (x right, y down).
pub type Pt = [f32; 2];

/// A rotated rectangle: centre, unit direction of its long "reading" axis, and size along/across it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RotRect {
    pub center: Pt,
    /// Unit vector along the rectangle's `width` side.
    pub axis: Pt,
    pub width: f32,
    pub height: f32,
}

impl RotRect {
    /// Perpendicular unit vector (the `height` direction), rotated +90° from `axis` in image coordinates.
    pub fn normal(&self) -> Pt {
        [-self.axis[1], self.axis[0]]
    }

    /// Corners in order top-left, top-right, bottom-right, bottom-left relative to the axis.
    pub fn corners(&self) -> [Pt; 4] {
        let [ax, ay] = self.axis;
        let [nx, ny] = self.normal();
        let (hw, hh) = (self.width / 2.0, self.height / 2.0);
        let [cx, cy] = self.center;
        [
            [cx - ax * hw - nx * hh, cy - ay * hw - ny * hh],
            [cx + ax * hw - nx * hh, cy + ay * hw - ny * hh],
            [cx + ax * hw + nx * hh, cy + ay * hw + ny * hh],
            [cx - ax * hw + nx * hh, cy - ay * hw + ny * hh],
        ]
    }

    /// The same rectangle grown by `d` on every side.
    pub fn expanded(&self, d: f32) -> RotRect {
        RotRect { width: self.width + 2.0 * d, height: self.height + 2.0 * d, ..*self }
    }

    /// Re-expresses the rectangle so that its axis points rightwards-ish (angle in (-90°, 90°]) and
    /// `width` runs along it.
    pub fn canonical(&self) -> RotRect {
        let mut r = *self;
        if r.axis[0] < 0.0 || (r.axis[0] == 0.0 && r.axis[1] < 0.0) {
            r.axis = [-r.axis[0], -r.axis[1]];
        }
        // Keep |angle| <= 45° by swapping sides, so axis is the side closest to horizontal.
        if r.axis[1].abs() > r.axis[0].abs() {
            let a = r.axis;
            // rotate -90°: (x, y) -> (y, -x); choose the one pointing right
            let mut na = [a[1], -a[0]];
            if na[0] < 0.0 {
                na = [-na[0], -na[1]];
            }
            r.axis = na;
            std::mem::swap(&mut r.width, &mut r.height);
        }
        r
    }

    /// Angle of the axis in degrees, image coordinates (positive = clockwise on screen).
    pub fn angle_deg(&self) -> f32 {
        self.axis[1].atan2(self.axis[0]).to_degrees()
    }

    /// Maps a point in rectangle-local coordinates (u along axis from the left edge, v along the normal
    /// from the top edge) to image coordinates.
    pub fn local_to_image(&self, u: f32, v: f32) -> Pt {
        let [tlx, tly] = self.corners()[0];
        let n = self.normal();
        [tlx + self.axis[0] * u + n[0] * v, tly + self.axis[1] * u + n[1] * v]
    }
}

fn cross(o: Pt, a: Pt, b: Pt) -> f32 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, no repeated end point.
pub fn convex_hull(points: &[Pt]) -> Vec<Pt> {
    let mut pts: Vec<Pt> = points.to_vec();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let mut lower: Vec<Pt> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<Pt> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// Minimum-area enclosing rectangle of a convex hull: one side is collinear with a hull edge.
pub fn min_area_rect(hull: &[Pt]) -> RotRect {
    if hull.is_empty() {
        return RotRect { center: [0.0, 0.0], axis: [1.0, 0.0], width: 0.0, height: 0.0 };
    }
    if hull.len() < 3 {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in hull {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        return RotRect { center: [(x0 + x1) / 2.0, (y0 + y1) / 2.0], axis: [1.0, 0.0], width: x1 - x0, height: y1 - y0 };
    }
    let mut best: Option<(f32, RotRect)> = None;
    let n = hull.len();
    for i in 0..n {
        let a = hull[i];
        let b = hull[(i + 1) % n];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-6 {
            continue;
        }
        let ax = [dx / len, dy / len];
        let nx = [-ax[1], ax[0]];
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in hull {
            let u = p[0] * ax[0] + p[1] * ax[1];
            let v = p[0] * nx[0] + p[1] * nx[1];
            u0 = u0.min(u);
            u1 = u1.max(u);
            v0 = v0.min(v);
            v1 = v1.max(v);
        }
        let area = (u1 - u0) * (v1 - v0);
        if best.as_ref().is_none_or(|(ba, _)| area < *ba) {
            let (cu, cv) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
            let center = [cu * ax[0] + cv * nx[0], cu * ax[1] + cv * nx[1]];
            best = Some((area, RotRect { center, axis: ax, width: u1 - u0, height: v1 - v0 }));
        }
    }
    best.map(|b| b.1).unwrap().canonical()
}

/// Polygon area (shoelace, absolute).
pub fn polygon_area(poly: &[Pt]) -> f32 {
    let n = poly.len();
    let mut s = 0.0;
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s.abs() / 2.0
}

/// Distance between two points.
pub fn dist(a: Pt, b: Pt) -> f32 {
    ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt()
}

/// The direction from one point towards another: its length (at least 1) and unit vector, and
/// where points fall along it (a quad's top edge: the axis a line's glyphs are measured along).
#[derive(Debug, Clone, Copy)]
pub struct Axis {
    pub origin: Pt,
    pub unit: Pt,
    pub len: f32,
}

impl Axis {
    pub fn new(from: Pt, to: Pt) -> Axis {
        let len = dist(from, to).max(1.0);
        Axis { origin: from, unit: [(to[0] - from[0]) / len, (to[1] - from[1]) / len], len }
    }

    /// How far along the axis point `p` falls, from its origin.
    pub fn along(&self, p: Pt) -> f32 {
        (p[0] - self.origin[0]) * self.unit[0] + (p[1] - self.origin[1]) * self.unit[1]
    }

    /// Point `p` moved `u` along the axis.
    pub fn shift(&self, p: Pt, u: f32) -> Pt {
        [p[0] + self.unit[0] * u, p[1] + self.unit[1] * u]
    }
}

/// The part of quad `q` (corners clockwise from the top left) between fractions `f0` and `f1` of
/// the way along its top and bottom edges.
pub fn quad_span(q: [Pt; 4], f0: f32, f1: f32) -> [Pt; 4] {
    let lerp = |a: Pt, b: Pt, t: f32| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    [lerp(q[0], q[1], f0), lerp(q[0], q[1], f1), lerp(q[3], q[2], f1), lerp(q[3], q[2], f0)]
}

/// The part of quad `q` between fractions `f0` and `f1` of its extent along `axis`: across the
/// pair of its edges nearer the axis's direction (a column's glyphs stand upright, their boxes'
/// top edges across the column).
pub fn quad_span_along(q: [Pt; 4], axis: &Axis, f0: f32, f1: f32) -> [Pt; 4] {
    let dot = |a: Pt, b: Pt| (b[0] - a[0]) * axis.unit[0] + (b[1] - a[1]) * axis.unit[1];
    let (top, side) = (dot(q[0], q[1]), dot(q[0], q[3]));
    let (f0, f1) = if (if top.abs() >= side.abs() { top } else { side }) >= 0.0 { (f0, f1) } else { (1.0 - f1, 1.0 - f0) };
    if top.abs() >= side.abs() {
        quad_span(q, f0, f1)
    } else {
        let lerp = |a: Pt, b: Pt, t: f32| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
        [lerp(q[0], q[3], f0), lerp(q[1], q[2], f0), lerp(q[1], q[2], f1), lerp(q[0], q[3], f1)]
    }
}

/// Polygon perimeter.
pub fn polygon_perimeter(poly: &[Pt]) -> f32 {
    let n = poly.len();
    (0..n).map(|i| dist(poly[i], poly[(i + 1) % n])).sum()
}

/// Area shared by two `[x, y, w, h]` boxes.
pub fn intersection_area(a: [f32; 4], b: [f32; 4]) -> f32 {
    let w = ((a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0])).max(0.0);
    let h = ((a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1])).max(0.0);
    w * h
}

/// Axis-aligned bounding box `[x, y, w, h]` of points.
pub fn bbox_of(points: &[Pt]) -> [f32; 4] {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in points {
        x0 = x0.min(p[0]);
        y0 = y0.min(p[1]);
        x1 = x1.max(p[0]);
        y1 = y1.max(p[1]);
    }
    [x0, y0, x1 - x0, y1 - y0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axis_measures_points_along_it_and_moves_them_along_it() {
        // From (10, 20) towards (13, 24): 5 long, unit (0.6, 0.8).
        let a = Axis::new([10.0, 20.0], [13.0, 24.0]);
        assert_eq!(a.len, 5.0);
        assert_eq!(a.along([13.0, 24.0]), 5.0);
        assert_eq!(a.along([14.0, 17.0]), 0.0, "a point square to the axis at its origin");
        assert_eq!(a.shift([0.0, 0.0], 10.0), [6.0, 8.0]);
        assert_eq!(Axis::new([1.0, 1.0], [1.0, 1.5]).len, 1.0, "at least 1 long");
    }

    #[test]
    fn a_quads_span_runs_between_the_fractions_along_its_top_and_bottom() {
        let q = [[0.0, 0.0], [10.0, 0.0], [12.0, 4.0], [2.0, 4.0]];
        assert_eq!(quad_span(q, 0.2, 0.5), [[2.0, 0.0], [5.0, 0.0], [7.0, 4.0], [4.0, 4.0]]);
        assert_eq!(quad_span(q, 0.0, 1.0), q);
    }

    #[test]
    fn a_quads_span_along_a_column_runs_down_its_sides() {
        // An upright glyph box in a column read downwards: the span is a band across the box.
        let q = [[0.0, 0.0], [10.0, 0.0], [10.0, 20.0], [0.0, 20.0]];
        let down = Axis::new([5.0, 0.0], [5.0, 100.0]);
        assert_eq!(quad_span_along(q, &down, 0.25, 0.5), [[0.0, 5.0], [10.0, 5.0], [10.0, 10.0], [0.0, 10.0]]);
        // Along a line read right to left, the fractions run from the box's right end.
        let leftwards = Axis::new([100.0, 10.0], [0.0, 10.0]);
        assert_eq!(quad_span_along(q, &leftwards, 0.0, 0.2), [[8.0, 0.0], [10.0, 0.0], [10.0, 20.0], [8.0, 20.0]]);
        // Along a line across the box's top edge, it is `quad_span`.
        let across = Axis::new([0.0, 0.0], [50.0, 0.0]);
        assert_eq!(quad_span_along(q, &across, 0.2, 0.5), quad_span(q, 0.2, 0.5));
    }

    #[test]
    fn thin_horizontal_line_keeps_its_thickness() {
        // A 300 px long, 15 px tall band of pixel corners.
        let mut pts = Vec::new();
        for x in 0..=300 {
            pts.push([x as f32, 100.0]);
            pts.push([x as f32, 115.0]);
        }
        let r = min_area_rect(&convex_hull(&pts));
        assert!((r.height - 15.0).abs() < 0.01, "height {}", r.height);
        assert!((r.width - 300.0).abs() < 0.01);
        assert!(r.angle_deg().abs() < 0.01);
    }

    #[test]
    fn tilted_rect_is_recovered() {
        let r0 = RotRect { center: [200.0, 150.0], axis: [30f32.to_radians().cos(), 30f32.to_radians().sin()], width: 240.0, height: 30.0 };
        let r = min_area_rect(&convex_hull(&r0.corners()));
        assert!((r.angle_deg() - 30.0).abs() < 0.01, "{}", r.angle_deg());
        assert!((r.width - 240.0).abs() < 0.01 && (r.height - 30.0).abs() < 0.01);
        let c = r.corners();
        let c0 = r0.corners();
        for i in 0..4 {
            assert!((c[i][0] - c0[i][0]).abs() < 0.01 && (c[i][1] - c0[i][1]).abs() < 0.01);
        }
    }

    #[test]
    fn vertical_column_gets_axis_near_horizontal_with_swapped_sides() {
        let r0 = RotRect { center: [50.0, 300.0], axis: [0.0, 1.0], width: 400.0, height: 40.0 };
        let r = min_area_rect(&convex_hull(&r0.corners()));
        assert!(r.angle_deg().abs() < 0.01);
        assert!((r.width - 40.0).abs() < 0.01 && (r.height - 400.0).abs() < 0.01);
    }
}
